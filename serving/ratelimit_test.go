package serving

import (
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/ratelimittest"
)

func TestMemoryLimiterConformance(t *testing.T) {
	ratelimittest.Run(t, func(t *testing.T, r music.Rate) music.RateLimiter { return NewMemoryLimiter(r) })
}
