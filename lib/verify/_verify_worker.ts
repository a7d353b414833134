/**
 * Worker of {@link verifyMany} (internal): receives the trust material (plain data) and the
 * options once, compiles the trust with batch verifiers, then verifies chunks of inputs and posts
 * their reports back, in order.
 *
 * @module
 */

import {
  type BatchOptions,
  compileBatchTrust,
  type FromWorker,
  type ToWorker,
  verifyChunk,
} from "./_verify_batch.ts";
import type { CompiledTrust } from "./trust_material.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
let ready: Promise<{ trust: CompiledTrust; options: BatchOptions }> | undefined;

function failure(error: unknown, id?: number): FromWorker {
  const e = error instanceof Error ? error : new Error(String(error));
  return { type: "error", id, name: e.name, message: e.message };
}

scope.onmessage = (event: MessageEvent<ToWorker>): void => {
  const message = event.data;
  if (message.type === "init") {
    const { options } = message;
    ready = compileBatchTrust(message.trust, message.engine).then((trust) => ({ trust, options }));
    ready.then(
      () => scope.postMessage({ type: "ready" }),
      (error) => scope.postMessage(failure(error)),
    );
    return;
  }
  const { id, items } = message;
  (ready ?? Promise.reject(new Error("Send init before chunks")))
    .then(({ trust, options }) => verifyChunk(items, trust, options))
    .then(
      (reports) => scope.postMessage({ type: "done", id, reports }),
      (error) => scope.postMessage(failure(error, id)),
    );
};
