// A stand-in for `formbench measure` so the study tests need no backend.
// Usage: fb_fake_measure [ignored args...] DESCRIPTOR. It prints a canned
// record for DESCRIPTOR, or misbehaves when the descriptor says so:
//   env.FAKE=crash    abort()            env.FAKE=garbage  prints no JSON
//   env.FAKE=fail     a failed record    env.FAKE=hang     sleeps 60 s
//   env.FAKE=badbytes stderr that is not UTF-8, then exit 1 without a record
//   env.FAKE=cutchar  100 KB of 3-byte characters on stderr (every tail is cut
//                     mid-character), then exit 1 without a record
//   env.FAKE=closefds closes stdout and stderr, then sleeps 60 s
//   env.FAKE=badfield an ok record whose per_image_ms.median is a string
// It is also the crashing/hanging child of the measurement tests, so the real
// formbench binary needs no test-only switches.
// Environment: FAKE_MEASURE_SLEEP_MS sleeps first; FAKE_MEASURE_LOG appends
// each descriptor it finishes to that file; FAKE_MEASURE_ARGV_LOG appends its
// arguments (all but the descriptor), one line per run.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "measure/record.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  const std::string d = argv[argc - 1];
  auto has = [&](const char* s) { return d.find(s) != std::string::npos; };
  if (const char* path = std::getenv("FAKE_MEASURE_ARGV_LOG")) {
    std::ofstream log(path, std::ios::app);
    for (int i = 1; i < argc - 1; ++i) log << argv[i] << (i + 2 < argc ? " " : "");
    log << "\n";
  }
  if (const char* ms = std::getenv("FAKE_MEASURE_SLEEP_MS"))
    std::this_thread::sleep_for(std::chrono::milliseconds(std::atoi(ms)));
  if (has("env.FAKE=hang")) std::this_thread::sleep_for(std::chrono::seconds(60));
  if (has("env.FAKE=closefds")) {
    std::fclose(stdout);
    std::fclose(stderr);
    std::this_thread::sleep_for(std::chrono::seconds(60));
    return 0;
  }
  if (has("env.FAKE=badbytes")) {
    std::fputs("fake: bad bytes \xff\xfe here, a lone continuation \x80, a truncated \xe2\x82", stderr);
    return 1;
  }
  if (has("env.FAKE=cutchar")) {
    for (int i = 0; i < 100001; ++i) std::fputs("\u20ac", stderr);  // the euro sign: 3 bytes in UTF-8
    return 1;
  }
  if (has("env.FAKE=crash")) {
    std::fputs("fake: crashing on purpose\n", stderr);
    std::abort();
  }
  if (has("env.FAKE=garbage")) {
    std::puts("this is not a record");
    return 0;
  }
  // The record through its owner (measure/record.h): the real key names.
  fb::MeasurementRecord t;
  t.descriptor = d;
  t.status = "ok";
  const double ms = 1.0 + static_cast<double>(d.size() % 17);
  t.latency_ms = fb::LatencyStats{.n = 10, .median = ms, .samples = {ms, ms}};
  t.per_image_ms = fb::PerImageMs{ms / 2, ms / 2 - 0.1, ms / 2 + 0.1};
  t.cost.emplace().macs = 1000000;
  t.cost->flops = 2000000;
  t.cost->params = 1234;
  t.counters.emplace().reason = "fake";
  if (has("cache_sim=")) t.cache_sim.emplace().ll_misses = 4242;
  t.foreign_cpu_pct = 0.5;
  if (has("env.FAKE=fail")) {
    t.status = "failed";
    t.error = "fake: the backend refused";
  }
  nlohmann::json r = t;
  if (has("env.FAKE=badfield")) r["per_image_ms"]["median"] = "fast";
  if (const char* log = std::getenv("FAKE_MEASURE_LOG")) std::ofstream(log, std::ios::app) << d << "\n";
  std::printf("some library chatter\n%s\n", r.dump().c_str());
  return r["status"] == "ok" ? 0 : 1;
}
