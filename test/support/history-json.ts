// Workflow histories to and from the JSON format Temporal's tools write (`temporal workflow show
// --output json`): what the SDK's `historyToJSON` / `historyFromJSON`
// (@temporalio/common/lib/proto-utils) do, done with the protobufjs copy that @temporalio/proto
// itself loads.
//
// Why not the SDK's functions: in this install @grpc/proto-loader keeps protobufjs 7 at the top
// level, so @temporalio/common, /proto and /worker 1.24.0 each get a nested copy of protobufjs 8.
// protojson checks `type instanceof Type` against its own copy while the History type comes from
// @temporalio/proto's, and both functions throw "type must be a Type" (so does
// `Worker.runReplayHistory` when handed JSON: it calls `historyFromJSON`). Handing the replay
// worker a decoded History avoids that path. Switch back once the copies are deduplicated.
import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils.js';

interface ReflectedType {
  fromObject(object: unknown): unknown;
}
interface ProtoJson {
  toJson(type: ReflectedType, message: unknown): unknown;
  fromJson(type: ReflectedType, json: unknown, options: { ignoreUnknownFields: boolean }): unknown;
}

const require = createRequire(import.meta.url);
const protoEntry = require.resolve('@temporalio/proto');
const fromProto = createRequire(protoEntry);
const root = fromProto(protoEntry) as { lookupType(name: string): ReflectedType };
const protojson = fromProto('protobufjs/ext/protojson') as ProtoJson;
const historyType = root.lookupType('temporal.api.history.v1.History');

/** A fetched history as pretty JSON text (one space of indentation keeps files small but diffable). */
export function historyToJson(history: History): string {
  return `${JSON.stringify(protojson.toJson(historyType, historyType.fromObject(history)), null, 1)}\n`;
}

/** Parsed JSON back into a History message, ready for `Worker.runReplayHistory`. */
export function historyFromJson(json: unknown): History {
  const history = protojson.fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history) throw new TypeError('not a workflow history');
  return history as History;
}
