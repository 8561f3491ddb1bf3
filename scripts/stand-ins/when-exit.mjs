// Stands in for when-exit (used by atomically, under conf) inside the CLI bundle. when-exit hooks SIGINT,
// SIGTERM and a dozen other signals as soon as it loads and raises each again after its own handler,
// so a command with a handler of its own (the proxy's graceful stop, a tail ended by Ctrl-C) would see
// every signal twice. It only removes temp files of writes still under way at exit; conf's writes are
// synchronous, so none is ever under way when a signal handler or exit hook can run.
export default function whenExit() {
  return () => {};
}
