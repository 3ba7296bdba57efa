package glassbox.experiments;

import glassbox.nn.callbacks.BackupAndRestore;
import glassbox.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./glassbox run <experiment> --resume}: an mnist-mlp run (synthetic MNIST) killed with SIGKILL while it
 * saves its epoch-2 backup, resumed, ends with the results of an uninterrupted run — results.json and
 * history.csv equal but for wall-clock times; and every folder that must not be resumed is refused in one line,
 * before any data is read (the home here has none), leaving the folder as it was.
 */
class ResumeTest {
    private static final String[] SETTINGS = {"--epochs", "3", "--batch-size", "64"};

    private static String[] args(Path home, Path runs, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "mnist-mlp", "--home", home.toString(), "--runs-dir",
                runs.toString()));
        args.addAll(List.of(SETTINGS));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static Path onlyRun(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs.resolve("mnist-mlp"))) {
            List<Path> dirs = s.toList();
            assertEquals(1, dirs.size(), dirs.toString());
            return dirs.getFirst();
        }
    }

    /** results.json without its wall-clock times, which no two runs share. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> untimed(Path run) throws IOException {
        Map<String, Object> results = new LinkedHashMap<>(Json.read(run.resolve("results.json"), Map.class));
        results.remove("train_seconds");
        results.remove("seconds_per_epoch");
        List<Map<String, Object>> history = new ArrayList<>();
        for (Map<String, Object> epoch : (List<Map<String, Object>>) results.get("history")) {
            Map<String, Object> e = new LinkedHashMap<>(epoch);
            e.remove("seconds");
            history.add(e);
        }
        results.put("history", history);
        return results;
    }

    private static List<String> historyWithoutSeconds(Path run) throws IOException {
        return Files.readAllLines(run.resolve("history.csv")).stream()
                .map(line -> line.substring(0, line.lastIndexOf(','))).toList();
    }

    @Test
    void aRunKilledWhileSavingResumesToTheUninterruptedResults(@TempDir Path home) throws Exception {
        SyntheticMnist.write(home, 640, 128, 1);
        Path plain = home.resolve("plain");
        CommandLine uninterrupted = CommandLine.run(args(home, plain));
        assertEquals(0, uninterrupted.code(), uninterrupted.err());

        Path runs = home.resolve("runs");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djdk.lang.processReaperUseDefaultStackSize=true", "--enable-native-access=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector", "-D" + BackupAndRestore.PAUSE_PROPERTY + "=2", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args(home, runs)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder printed = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                printed.append(line).append('\n');
                if (line.startsWith(BackupAndRestore.PAUSED)) {
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(printed.toString().contains(BackupAndRestore.PAUSED), printed.toString());
        Path run = onlyRun(runs);
        assertEquals("running", Resume.status(run).get("state"), "killed: nobody marked it");

        CommandLine resumed = CommandLine.run(args(home, runs, "--resume"));
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        assertTrue(resumed.out().contains("fit 'seed 0' resumes after epoch 1 of 3"), resumed.out());
        assertEquals(run, onlyRun(runs), "the resumed run writes into its own folder");
        assertEquals(untimed(onlyRun(plain)), untimed(run));
        assertEquals(historyWithoutSeconds(onlyRun(plain)), historyWithoutSeconds(run));
        Map<?, ?> status = Resume.status(run);
        assertEquals("finished", status.get("state"));
        assertEquals(1, ((Number) status.get("resumes")).intValue());
        assertFalse(Files.exists(run.resolve(RunFolder.BACKUPS)), "a finished run's backups are deleted");
        List<String> events = Files.readAllLines(run.resolve(RunFolder.EVENTS));
        assertTrue(events.contains("{\"type\":\"resume\",\"fit\":\"seed 0\",\"epoch\":1}"), events.toString());

        CommandLine again = CommandLine.run(args(home, runs, "--resume", run.toString()));
        assertEquals(1, again.code());
        assertTrue(again.err().contains(": that run finished ("), again.err());
    }

    /** A run folder as {@code RunFolder.create} leaves it, with {@code changes} applied to its status. */
    private static Path fabricated(Path runs, String experiment, Map<String, Object> changes) throws IOException {
        Path dir = runs.resolve(experiment).resolve("20261206-224617");
        Files.createDirectories(dir);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("experiment", experiment);
        status.put("state", "running");
        status.put("pid", 999_999_999L); // no such process
        status.put("host", RunFolder.host());
        status.put("started", "2026-12-06T22:46:17");
        status.put("commit", RunFolder.gitCommit());
        picocli.CommandLine cli = new picocli.CommandLine(new MnistMlp());
        cli.parseArgs(SETTINGS[0], SETTINGS[1], SETTINGS[2], SETTINGS[3], "--home", runs.getParent().toString());
        MnistMlp mlp = cli.getCommand();
        status.put("options", mlp.common.optionValues(cli.getCommandSpec()));
        status.putAll(changes);
        Json.write(dir.resolve(RunFolder.STATUS), status);
        return dir;
    }

    /** Refused: exit code 1, one line naming the folder and what differs; the folder unchanged. */
    private static void refused(Path home, Path dir, String expected, String... resume) throws IOException {
        refusedCommand(dir, expected, args(home, home.resolve("runs"), resume));
    }

    private static void refusedCommand(Path dir, String expected, String... args) throws IOException {
        String before = dir == null ? null : Files.readString(dir.resolve(RunFolder.STATUS));
        CommandLine cl = CommandLine.run(args);
        assertEquals(1, cl.code(), cl.out() + cl.err());
        assertEquals("glassbox run mnist-mlp: error: " + expected, cl.err().strip());
        assertFalse(cl.err().strip().contains("\n"), "one line");
        if (dir != null) {
            assertEquals(before, Files.readString(dir.resolve(RunFolder.STATUS)));
        }
    }

    @Test
    void aRunOfAnotherCommitIsRefused(@TempDir Path home) throws IOException {
        Path dir = fabricated(home.resolve("runs"), "mnist-mlp",
                Map.of("commit", "37d3f5c0a1b2c3d4e5f60718293a4b5c6d7e8f90"));
        refused(home, dir, "--resume " + dir + ": made by commit 37d3f5c, this is " + shortCommit(RunFolder.gitCommit())
                + "; resume with that commit or start a new run", "--resume");
    }

    @Test
    void aRunWithOtherFlagsIsRefused(@TempDir Path home) throws IOException {
        Path dir = fabricated(home.resolve("runs"), "mnist-mlp", Map.of());
        refusedCommand(dir, "--resume " + dir + ": made with other flags (was --epochs 3, now 2; --seed 0, now 5); "
                + "resume with the same flags or start a new run", "run", "mnist-mlp", "--home", home.toString(),
                "--epochs", "2", "--batch-size", "64", "--seed", "5", "--resume", dir.toString());
    }

    @Test
    void aFinishedRunIsRefused(@TempDir Path home) throws IOException {
        Path dir = fabricated(home.resolve("runs"), "mnist-mlp", Map.of("state", "finished",
                "ended", "2026-12-06T23:01:00"));
        refused(home, dir, "--resume " + dir + ": that run finished (2026-12-06T23:01:00); there is nothing to resume",
                "--resume", dir.toString());
        refused(home, null, "--resume: no unfinished run of mnist-mlp in " + home.resolve("runs").resolve("mnist-mlp")
                + "; give the run folder's path (--resume DIR) or start a new run", "--resume");
    }

    @Test
    void aRunStillBeingWrittenIsRefused(@TempDir Path home) throws IOException {
        // this JVM, started before the run it "writes" (a process started after a run began is not its writer)
        Path dir = fabricated(home.resolve("runs"), "mnist-mlp", Map.of("pid", ProcessHandle.current().pid(),
                "started", java.time.LocalDateTime.now().toString()));
        refused(home, dir, "--resume " + dir + ": its process " + ProcessHandle.current().pid() + " on "
                + RunFolder.host() + " is still running", "--resume", dir.toString());
    }

    @Test
    void aFolderOfAnotherExperimentOrNoRunFolderIsRefused(@TempDir Path home) throws IOException {
        Path other = fabricated(home.resolve("runs"), "fashion-twist", Map.of());
        refused(home, other, "--resume " + other + ": a run of fashion-twist, not of mnist-mlp", "--resume",
                other.toString());
        Path empty = Files.createDirectories(home.resolve("empty"));
        refused(home, null, "--resume " + empty + ": not a run folder (it has no readable status.json)", "--resume",
                empty.toString());
        refused(home, null, "--resume " + home.resolve("nowhere") + ": no such folder", "--resume",
                home.resolve("nowhere").toString());
    }

    /**
     * What --resume compares must be the same text for the same flags in two processes: no identity hash
     * ({@code [J@1b2c3d}) of an array-valued flag such as {@code --seeds}, for any experiment.
     */
    @Test
    void everyExperimentsFlagsAreRecordedAsTextTwoRunsShare() {
        for (Experiments.Entry entry : Experiments.all()) {
            List<String> args = new ArrayList<>(List.of("--home", "/tmp"));
            picocli.CommandLine probe = new picocli.CommandLine(entry.factory().get());
            if (probe.getCommandSpec().findOption("--seeds") != null) {
                args.addAll(List.of("--seeds", "3,4"));
            }
            Map<String, String> first = optionValues(entry, args);
            assertEquals(first, optionValues(entry, args), entry.name());
            assertTrue(first.containsKey("--seed") && first.containsKey("--quick"), entry.name() + ": " + first);
            for (Map.Entry<String, String> option : first.entrySet()) {
                assertFalse(option.getValue().matches(".*@[0-9a-f]+.*"), entry.name() + " " + option);
            }
            if (args.contains("--seeds")) {
                assertEquals("[3, 4]", first.get("--seeds"), entry.name());
            }
        }
    }

    private static Map<String, String> optionValues(Experiments.Entry entry, List<String> args) {
        picocli.CommandLine cli = new picocli.CommandLine(entry.factory().get());
        cli.parseArgs(args.toArray(String[]::new));
        CommonOptions common = (CommonOptions) cli.getCommandSpec().mixins().get("common").userObject();
        return common.optionValues(cli.getCommandSpec());
    }

    private static String shortCommit(String commit) {
        return commit.matches("[0-9a-f]{40}") ? commit.substring(0, 7) : commit;
    }
}
