#!/usr/bin/env python3
"""Listens to conversation.created on the events exchange, in Python with pika, written from
docs/asyncapi.yaml alone (the domainEvents channel).

  python3 examples/python/subscriber.py     (Debian: apt-get install python3-pika; Ctrl-C to stop)
  AMQP_URL=... EVENTS_EXCHANGE=... SUBSCRIBER_QUEUE=my-service.conversations COUNT=2 python3 examples/python/subscriber.py

A real consumer declares a durable queue of its own (SUBSCRIBER_QUEUE), so that events published while
it is down wait for it; without one this example uses a temporary queue. Delivery is at least once:
de-duplicate on event_id (the AMQP message_id too; kept here in memory). With COUNT=n it stops after n
events. It prints one JSON line once it listens, then one per event.
"""
import json
import os

import pika

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672")
EXCHANGE = os.environ.get("EVENTS_EXCHANGE", "conversations.events")
QUEUE = os.environ.get("SUBSCRIBER_QUEUE", "")
COUNT = int(os.environ.get("COUNT", "0"))  # 0: until interrupted


def main():
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    channel.exchange_declare(exchange=EXCHANGE, exchange_type="topic", durable=True)  # as the workers declare it
    declared = channel.queue_declare(queue=QUEUE, durable=bool(QUEUE), exclusive=not QUEUE)
    queue = declared.method.queue
    channel.queue_bind(queue=queue, exchange=EXCHANGE, routing_key="conversation.created")
    channel.basic_qos(prefetch_count=10)
    print(json.dumps({"listening": EXCHANGE, "queue": queue}), flush=True)

    seen = set()
    handled = 0
    for method, properties, body in channel.consume(queue):
        event = json.loads(body)
        if event["event_id"] not in seen:  # else a redelivery: already handled
            seen.add(event["event_id"])
            handled += 1
            print(json.dumps({
                "event": event["event"],
                "event_id": event["event_id"],
                "message_id": properties.message_id,
                "account_id": (properties.headers or {}).get("x-account-id"),
                "conversation": {key: event[key] for key in ("id", "inbox_id", "status", "custom_attributes")},
            }), flush=True)
        channel.basic_ack(method.delivery_tag)  # after the work: a crash before this redelivers the event
        if COUNT and handled >= COUNT:
            break
    channel.cancel()
    connection.close()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
