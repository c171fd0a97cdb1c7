// The SDK warns on every process that it will need Node 22 from 2027; harmless here and noisy in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
