package glassbox.nn.callbacks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of {@link BackupAndRestore}, the hard way: a child JVM training with it is killed with SIGKILL
 * ({@link Process#destroyForcibly()}) in the middle of an epoch, or in the middle of writing a backup (after the
 * temporary file is written, before the rename), then started again; the run it finishes has the same final
 * weights (every bit), the same checkpoint file and the same history as an uninterrupted run
 * ({@link ResumeChild} run in this JVM). For the MLP, for a CNN with BatchNormalization and Dropout, and for
 * two fits in one run, the first finished and the second interrupted.
 */
class BackupAndRestoreKillTest {

    @Test
    void anMlpKilledMidEpochResumesToTheUninterruptedBits(@TempDir Path dir) throws Exception {
        killMidEpochAndResume("mlp", dir);
    }

    @Test
    void aCnnWithBatchNormalizationAndDropoutKilledMidEpochResumesToTheUninterruptedBits(@TempDir Path dir)
            throws Exception {
        killMidEpochAndResume("cnn", dir);
    }

    @Test
    void aCnnKilledWhileSavingResumesFromThePreviousBackup(@TempDir Path dir) throws Exception {
        String expected = ResumeChild.run("cnn", dir.resolve("uninterrupted"), null);
        Path backups = dir.resolve("backups");
        Path result = dir.resolve("result.txt");
        String killed = startAndKillAt(List.of("-D" + BackupAndRestore.PAUSE_PROPERTY + "=2"), "cnn", backups, result,
                List.of(), BackupAndRestore.PAUSED);
        try (Stream<Path> files = Files.list(backups)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("\\.cnn\\.backup\\..*\\.tmp")),
                    "the killed save left its temporary file: " + killed);
        }
        String resumed = runToTheEnd("cnn", backups, result);
        assertTrue(resumed.contains("resumes after epoch 1 of 4"), "epoch 2's backup never replaced epoch 1's: "
                + resumed);
        assertEquals(expected, Files.readString(result));
        try (Stream<Path> files = Files.list(backups)) {
            List<String> left = files.map(f -> f.getFileName().toString()).toList();
            assertEquals(List.of("cnn-best.weights"), left, "the backup is deleted at the end, the temporary file "
                    + "at the resume");
        }
    }

    @Test
    void ofTwoFitsTheFinishedOneIsRestoredAndTheInterruptedOneResumes(@TempDir Path dir) throws Exception {
        String expected = ResumeChild.run("two", dir.resolve("uninterrupted"), null);
        Path backups = dir.resolve("backups");
        Path result = dir.resolve("result.txt");
        startAndKillAt(List.of(), "two", backups, result, List.of("3", "2"), ResumeChild.PAUSED);
        String resumed = runToTheEnd("two", backups, result);
        assertTrue(resumed.contains("fit 'mlp' had finished (4 epochs): restored from"), resumed);
        assertTrue(resumed.contains("fit 'cnn' resumes after epoch 2 of 4"), resumed);
        assertEquals(expected, Files.readString(result));
    }

    private static void killMidEpochAndResume(String mode, Path dir) throws Exception {
        String expected = ResumeChild.run(mode, dir.resolve("uninterrupted"), null);
        Path backups = dir.resolve("backups");
        Path result = dir.resolve("result.txt");
        startAndKillAt(List.of(), mode, backups, result, List.of("3", "4"), ResumeChild.PAUSED);
        assertFalse(Files.exists(result));
        String resumed = runToTheEnd(mode, backups, result);
        assertTrue(resumed.contains("resumes after epoch 2 of 4"), resumed);
        assertEquals(expected, Files.readString(result));
    }

    /** Starts the child, waits for the line starting with {@code signal}, kills it; returns what it printed. */
    private static String startAndKillAt(List<String> jvmFlags, String mode, Path backups, Path result,
                                         List<String> pause, String signal) throws Exception {
        Process p = child(jvmFlags, mode, backups, result, pause);
        StringBuilder printed = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                printed.append(line).append('\n');
                if (line.startsWith(signal)) {
                    p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
                    break;
                }
            }
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed child did not end");
        }
        assertTrue(printed.toString().contains(signal), "the child never reached its pause: " + printed);
        assertEquals(137, p.exitValue(), "killed by SIGKILL: " + printed);
        return printed.toString();
    }

    /** Runs the child to its end; returns what it printed. */
    private static String runToTheEnd(String mode, Path backups, Path result) throws Exception {
        Process p = child(List.of(), mode, backups, result, List.of());
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the resumed child timed out");
        assertEquals(0, p.exitValue(), printed);
        return printed;
    }

    private static Process child(List<String> jvmFlags, String mode, Path backups, Path result, List<String> pause)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.lang.processReaperUseDefaultStackSize=true", "--enable-native-access=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path")));
        command.addAll(jvmFlags);
        command.addAll(List.of(ResumeChild.class.getName(), mode, backups.toString(), result.toString()));
        command.addAll(pause);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
