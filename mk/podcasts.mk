# podcasts: the speech tests synthesise episodes with espeak-ng and encode
# them with lame (docs/podcasts.md).
DEB_PACKAGES += espeak-ng lame

.PHONY: fuzz-podcasts bench-podcasts
FUZZTIME ?= 60s
# Fuzz what reads outsiders' podcast bytes: the feed parser, the XML
# safety scan, chapters and transcripts, and the audio decoders (MP3 included). Not part of make test.
fuzz-podcasts: deps
	$(GO) test ./rss -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)
	$(GO) test ./rss -run '^$$' -fuzz '^FuzzSideFiles$$' -fuzztime $(FUZZTIME)
	$(GO) test ./xmlsafe -run '^$$' -fuzz '^FuzzScan$$' -fuzztime $(FUZZTIME)
	$(GO) test ./encode -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME)

# Poll 10,000 unchanged feeds from a local host (docs/benchmarks/podcasts.md).
bench-podcasts: deps
	$(GO) test ./workflows -run '^$$' -bench PollUnchangedFeeds -benchtime 3x
