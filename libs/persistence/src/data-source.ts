/** For the TypeORM CLI only (`typeorm migration:generate -d dist/libs/persistence/src/data-source.js`). */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

export const dataSource = new DataSource(
  dataSourceOptions({ url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/conversations' }),
);
