export { READINESS_COMMAND, Redis, type RedisArgs } from "./redis";
