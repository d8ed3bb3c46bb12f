// Child process with nothing to do: what starting node (and the TypeScript
// loader) costs before any of the bot's code runs. Prints ms since the parent's spawn.
process.stdout.write(String(performance.timeOrigin + performance.now() - Number(process.argv[2])));
