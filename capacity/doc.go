// Package capacity turns a load (listeners, songs, plays, regions) and the
// per-core rates this project measured in its own benchmarks into cores per
// tier, CDN egress, storage, lake growth and a monthly cost, each figure
// with the arithmetic that produced it.
package capacity
