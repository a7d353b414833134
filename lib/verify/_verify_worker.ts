/**
 * Worker of {@link verifyMany} (internal): receives the serialisable batch settings once, rebuilds
 * the trusted keys, then verifies chunks of envelopes and posts their reports back, in order.
 *
 * @module
 */

import { type FromWorker, prepareOptions, type ToWorker, verifyChunk } from "./_verify_batch.ts";
import type { VerifyEnvelopeOptions } from "./verify_envelope.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

const scope = globalThis as unknown as WorkerScope;
let ready: Promise<VerifyEnvelopeOptions> | undefined;

function failure(error: unknown, id?: number): FromWorker {
  const e = error instanceof Error ? error : new Error(String(error));
  return { type: "error", id, name: e.name, message: e.message };
}

scope.onmessage = (event: MessageEvent<ToWorker>): void => {
  const message = event.data;
  if (message.type === "init") {
    ready = prepareOptions(message.settings);
    ready.then(
      () => scope.postMessage({ type: "ready" }),
      (error) => scope.postMessage(failure(error)),
    );
    return;
  }
  const { id, names, bytes } = message;
  (ready ?? Promise.reject(new Error("Send init before chunks")))
    .then((options) => verifyChunk(names, bytes, options))
    .then(
      (reports) => scope.postMessage({ type: "done", id, reports }),
      (error) => scope.postMessage(failure(error, id)),
    );
};
