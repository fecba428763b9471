export { readinessCommand, Redis, type RedisArgs } from "./redis";
