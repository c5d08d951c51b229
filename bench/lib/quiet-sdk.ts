// Imported first by the benchmarks that talk to the emulator: the SDK warns at every client's
// creation that Node 20 loses support in 2027, noise between the figures. Some clients are
// created at module scope, so this must run before those modules are evaluated.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
