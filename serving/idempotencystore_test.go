package serving

import (
	"testing"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/idempotencytest"
)

func TestMemoryIdempotencyConformance(t *testing.T) {
	idempotencytest.Run(t, func(t *testing.T, budget int) music.IdempotencyStore {
		return NewMemoryIdempotency(budget, nil)
	})
}
