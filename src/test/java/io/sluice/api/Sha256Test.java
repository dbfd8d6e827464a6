package io.sluice.api;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Hashes already stored (spec hashes, token hashes) must keep their values. */
class Sha256Test {
  private static final String ABC =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void matchesTheStandardsVectorsOverUtf8() {
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(""));
    assertEquals(ABC, Sha256.hex("abc"));
    // "é" is hashed as its two UTF-8 bytes, c3 a9.
    assertEquals(
        Sha256.hex("\u00e9"),
        Sha256.hex(
            new String(
                new byte[] {(byte) 0xc3, (byte) 0xa9}, java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(32, Sha256.of("abc").length);
  }

  @Test
  void concurrentCallersEachGetTheirOwnDigest() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> calls =
          IntStream.range(0, 2_000)
              .<Callable<Boolean>>mapToObj(
                  i ->
                      () ->
                          Sha256.hex("ab" + "c").equals(ABC) && Sha256.hex("x" + i).length() == 64)
              .toList();
      for (Future<Boolean> result : pool.invokeAll(calls)) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
