package temporalserver

import (
	"io"
	"log/slog"

	sdklog "go.temporal.io/sdk/log"
	tlog "go.temporal.io/server/common/log"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newFileLogger sends the server's own log to w as JSON lines at warn
// level and above; the returned level can be raised at shutdown.
func newFileLogger(w io.Writer) (tlog.Logger, zap.AtomicLevel) {
	level := zap.NewAtomicLevelAt(zap.WarnLevel)
	enc := zapcore.NewJSONEncoder(zap.NewProductionEncoderConfig())
	core := zapcore.NewCore(enc, zapcore.AddSync(w), level)
	return tlog.NewZapLogger(zap.New(core)), level
}

// quietSDKLogger keeps the SDK client's start-up chatter off stdout.
func quietSDKLogger() sdklog.Logger {
	return sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
}
