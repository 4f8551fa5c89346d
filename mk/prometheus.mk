# Prometheus alert rules (deploy/prometheus/): `make alerts-test` checks
# them with promtool (Debian's prometheus package ships it) and runs
# their unit tests (alerts_test.yml). A prerequisite of `make test`.
DEB_PACKAGES += prometheus
TEST_PREREQS += alerts-test

.PHONY: alerts-test
alerts-test: deps
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/alerts_test.yml
