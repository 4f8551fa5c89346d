package friends

import (
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/activitytest"
)

func TestMemoryConformance(t *testing.T) {
	activitytest.Run(t, func(t *testing.T, now func() time.Time) music.ActivityStore {
		m := NewMemory()
		m.Now = now
		return m
	})
}
