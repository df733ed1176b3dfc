import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/** Whoever holds the app's RabbitMQ connection says whether it is up (no extra connection per probe). */
export interface BrokerConnection {
  isConnected(): boolean;
}

export const BROKER_CONNECTION = Symbol('BROKER_CONNECTION');

@Injectable()
export class BrokerHealthIndicator {
  constructor(
    @Inject(BROKER_CONNECTION) private readonly broker: BrokerConnection,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key = 'broker') {
    const session = this.health.check(key);
    return this.broker.isConnected() ? session.up() : session.down({ message: 'not connected to RabbitMQ' });
  }
}
