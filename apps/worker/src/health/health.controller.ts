import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { BrokerHealthIndicator } from '#app/runtime';

/** Liveness, and readiness: consuming from RabbitMQ and able to reach Postgres. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly broker: BrokerHealthIndicator,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.broker.check(), () => this.database.pingCheck('database', { timeout: 1_500 })]);
  }
}
