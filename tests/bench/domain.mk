# Benchmark program (make bench); in the test archive only.
bench_SRCS := tests/bench/bench.c
TEST_DOMAINS += bench
