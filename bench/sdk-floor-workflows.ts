// The SDK-floor bench's workflows (bench/sdk-floor.ts): one that returns at once, and ones that run
// one or three local activities that do nothing, as a conversation's first run runs three.
import { proxyLocalActivities } from '@temporalio/workflow';

const { nothing } = proxyLocalActivities<{ nothing(): Promise<void> }>({ startToCloseTimeout: '10s' });

export async function floorBare(): Promise<void> {}

export async function floorOneLocal(): Promise<void> {
  await nothing();
}

export async function floorThreeLocal(): Promise<void> {
  await nothing();
  await nothing();
  await nothing();
}
