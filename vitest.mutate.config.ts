// The tests `npm run mutate` runs against each mutant: those that exercise the mutated modules in-process (a test
// that spawns the CLI or the bot runs the code unmutated, so it cannot kill a mutant and only costs time).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'tests/digest/**/*.test.ts',
      'tests/search/**/*.test.ts',
      'tests/archive/**/*.test.ts',
      'tests/sources/**/*.test.ts',
      'tests/hardening/properties.test.ts',
      'tests/hardening/commands.test.ts',
      'tests/discord/format.test.ts',
      'tests/discord/admission.test.ts',
      'tests/discord/overload.test.ts',
      'tests/discord/longMessages.test.ts',
      'tests/discord/remoteText.test.ts',
      'tests/discord/petitionView.test.ts',
      'tests/store/deliveryLedger.test.ts',
      'tests/store/ingest.test.ts',
      'tests/store/*.test.ts',
      'tests/scheduler.test.ts',
      'tests/app/deliveryFaults.test.ts',
      'tests/app/takedowns.test.ts',
      'tests/app/takedownAddresses.test.ts',
      'tests/discord/takedowns.test.ts',
      'tests/discord/retractions.test.ts',
      'tests/app/retractions.test.ts',
      'tests/hardening/messageProperties.test.ts',
      // The message builders are tested through the real discord.js client against the fake Discord, in-process.
      'tests/discord/*.test.ts',
      'tests/app/*.test.ts',
    ],
    // These start the bot or the CLI as processes of their own: unmutated code, only time.
    exclude: [
      'tests/bench/**',
      'node_modules/**',
      'tests/discord/sharding.test.ts',
      'tests/discord/start.test.ts',
      'tests/app/stopDuringIngest.test.ts',
    ],
    testTimeout: 30_000,
    maxWorkers: 1,
  },
});
