#!/usr/bin/env python3
"""Another service's view of the conversations queue, in Python with pika, written from
docs/asyncapi.yaml alone:

  1. an RPC list and an RPC create: the AMQP properties reply_to and correlation_id, an "id" in the
     NestJS envelope, and one reply on RabbitMQ's direct reply-to;
  2. an event create: no reply_to, persistent, a message_id, confirmed by the broker.

Every property below is an AMQP property of pika.BasicProperties, not an entry of `headers`: a
correlation_id or message_id sent as a header is read by nobody.

  python3 examples/python/publisher.py      (Debian: apt-get install python3-pika; `npm run demo` running)
  AMQP_URL=... RMQ_QUEUE=... TOKEN=... ACCOUNT_ID=... INBOX_ID=... CONTACT_ID=... python3 examples/python/publisher.py

It prints one JSON line per step.
"""
import json
import os
import time
import uuid

import pika

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672")
QUEUE = os.environ.get("RMQ_QUEUE", "conversations")
TOKEN = os.environ.get("TOKEN", "demo-bot-acme")  # an agent bot of account 1 in fixtures/demo.json
LIST_TOKEN = os.environ.get("LIST_TOKEN", "demo-admin-ada")  # agent bots may not list: an administrator
ACCOUNT_ID = int(os.environ.get("ACCOUNT_ID", "1"))
INBOX_ID = int(os.environ.get("INBOX_ID", "1"))
CONTACT_ID = int(os.environ.get("CONTACT_ID", "3"))
MARKER = os.environ.get("MARKER", str(uuid.uuid4()))  # lets a reader find these conversations again
TIMEOUT_S = 10
DIRECT_REPLY_TO = "amq.rabbitmq.reply-to"

# The work queue's arguments, as its channel binding in docs/asyncapi.yaml gives them. Declaring is
# optional (the service declares it); a declaration with other arguments is refused with 406
# PRECONDITION_FAILED. x-queue-type is "quorum" where the service runs with RMQ_QUEUE_TYPE=quorum.
WORK_QUEUE_ARGUMENTS = {
    "x-queue-type": "classic",
    "x-dead-letter-exchange": f"{QUEUE}.dlx",
    "x-dead-letter-routing-key": f"{QUEUE}.dlq",
}


def say(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


class RpcClient:
    """RPC over direct reply-to: consume amq.rabbitmq.reply-to (no ack) on the channel that publishes."""

    def __init__(self, connection):
        self.connection = connection
        self.channel = connection.channel()
        self.replies = {}
        self.channel.basic_consume(DIRECT_REPLY_TO, self._on_reply, auto_ack=True)

    def _on_reply(self, _channel, _method, properties, body):
        # properties.content_type is application/json; properties.correlation_id is the request's.
        self.replies[properties.correlation_id] = json.loads(body)

    def call(self, pattern, data):
        request_id = str(uuid.uuid4())
        envelope = {"pattern": pattern, "data": data, "id": request_id}
        self.channel.basic_publish(
            exchange="",  # the default exchange routes to the queue named by the routing key
            routing_key=QUEUE,
            body=json.dumps(envelope),
            properties=pika.BasicProperties(
                reply_to=DIRECT_REPLY_TO,
                correlation_id=request_id,
                content_type="application/json",
                expiration=str(TIMEOUT_S * 1000),  # nobody waits longer: let the broker drop it
                headers={"x-reply-deadline": int(time.time() * 1000) + TIMEOUT_S * 1000},
            ),
        )
        deadline = time.monotonic() + TIMEOUT_S
        while request_id not in self.replies:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{pattern}: no reply within {TIMEOUT_S} s")
            self.connection.process_data_events(time_limit=0.1)
        return self.replies.pop(request_id)  # {"response": ...} or {"err": {"status", "error", ...}}


def publish_event(connection, pattern, data):
    """An event: no reply_to, persistent, with a message_id; returns once the broker has confirmed it."""
    channel = connection.channel()
    channel.confirm_delivery()  # basic_publish now raises if the broker refuses the message
    message_id = str(uuid.uuid4())  # publish again with the same message_id after a failure: applied once
    channel.basic_publish(
        exchange="",
        routing_key=QUEUE,
        body=json.dumps({"pattern": pattern, "data": data}),
        properties=pika.BasicProperties(message_id=message_id, delivery_mode=2, content_type="application/json"),
        mandatory=True,  # refused (not dropped) if the queue does not exist
    )
    channel.close()
    return message_id


def main():
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    try:
        connection.channel().queue_declare(queue=QUEUE, durable=True, arguments=WORK_QUEUE_ARGUMENTS)
        say("declared", queue=QUEUE, arguments=WORK_QUEUE_ARGUMENTS)

        rpc = RpcClient(connection)
        listed = rpc.call("conversations.list", {"api_access_token": LIST_TOKEN, "account_id": ACCOUNT_ID, "query": {"status": "all"}})
        say("rpc_list", reply=listed)

        body = {"inbox_id": INBOX_ID, "contact_id": CONTACT_ID, "custom_attributes": {"marker": MARKER, "via": "rpc"}}
        created = rpc.call("conversations.create", {"api_access_token": TOKEN, "account_id": ACCOUNT_ID, "body": body})
        say("rpc_create", reply=created)

        body = {"inbox_id": INBOX_ID, "contact_id": CONTACT_ID, "custom_attributes": {"marker": MARKER, "via": "event"}, "message": {"content": "Created by an event"}}
        message_id = publish_event(connection, "conversations.create", {"api_access_token": TOKEN, "account_id": ACCOUNT_ID, "body": body})
        say("event_create", message_id=message_id, dead_letters=f"{QUEUE}.dlq")
    finally:
        connection.close()


if __name__ == "__main__":
    main()
