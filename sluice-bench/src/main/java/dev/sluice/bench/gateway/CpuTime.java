package dev.sluice.bench.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of processes and their descendants (nginx's workers), from {@code
 * /proc/PID/stat}; 0 where there is no {@code /proc}. The benchmark reads it before and after a run
 * to tell which process spent the machine's CPUs on each request.
 */
final class CpuTime {
  private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

  private CpuTime() {}

  /** Seconds of CPU used so far by {@code processes} and all their descendants. */
  static double seconds(List<ProcessHandle> processes) {
    return processes.stream()
            .flatMap(p -> Stream.concat(Stream.of(p), p.descendants()))
            .mapToLong(CpuTime::ticks)
            .sum()
        / TICKS_PER_SECOND;
  }

  /** Seconds of CPU used so far by this process alone, not the ones it started. */
  static double ownSeconds() {
    return ticks(ProcessHandle.current()) / TICKS_PER_SECOND;
  }

  private static long ticks(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // the fields after "(comm)": state is field 3, utime field 14, stime field 15
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
