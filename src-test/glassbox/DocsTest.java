package glassbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.bench.BenchMain;
import glassbox.experiments.Experiments;
import glassbox.experiments.Main;
import glassbox.board.BoardCommand;
import glassbox.tools.GradcheckCommand;
import glassbox.tools.ShellCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README and {@code docs/*.md} show only what exists: every relative link leads to a file, and every
 * {@code ./glassbox …} they show names a launcher command, an experiment {@code list} knows or a {@code bench}
 * subcommand, with flags that command's picocli parser declares. The commands are read from the launcher's
 * own usage text and the options from the same picocli classes the launcher runs, so a renamed flag or
 * experiment fails here, naming the file and line.
 *
 * <p>What is checked on a line: the first tokens after {@code ./glassbox} (command, then experiment or
 * subcommand), and every {@code --flag} on the rest of the line or inline code span — in the README's
 * command list that includes the description, whose "(--all-shapes: …)" notes name flags of that command too.
 * {@code test} passes its arguments to Maven and is not checked beyond its name; placeholders such as
 * {@code <experiment>} are, for flags, held to what every experiment accepts. Each check was seen to fail
 * once, on purpose: a bogus flag on a command line, an unknown experiment and a broken link in a doc.
 */
class DocsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[A-Za-z][\\w-]*");
    private static final Pattern USAGE_LINE = Pattern.compile("^  ([a-z][\\w-]*)\\b.*");

    /** A line of a Markdown file: where it is, and whether it lies in a fenced code block. */
    record Line(Path file, int number, String text, boolean inCode) {
        String where() {
            return ROOT.relativize(file) + ":" + number;
        }
    }

    @Test
    void theDocsExist() {
        List<Path> files = docs();
        assertTrue(files.contains(ROOT.resolve("README.md")), "README.md is missing");
        for (String name : List.of("experiments.md", "performance.md", "semantics.md", "internals.md")) {
            assertTrue(files.contains(ROOT.resolve("docs").resolve(name)), "docs/" + name + " is missing");
        }
    }

    @Test
    void everyRelativeLinkResolves() {
        List<String> problems = new ArrayList<>();
        for (Line line : lines()) {
            if (line.inCode()) {
                continue;
            }
            String text = INLINE_CODE.matcher(line.text()).replaceAll("");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")
                        || target.startsWith("#")) {
                    continue;
                }
                String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                Path resolved = line.file().getParent().resolve(path).normalize();
                if (!Files.exists(resolved)) {
                    problems.add(line.where() + ": link to '" + target + "', but " + ROOT.relativize(resolved)
                            + " does not exist");
                }
            }
        }
        assertTrue(problems.isEmpty(), "broken links:\n  " + String.join("\n  ", problems));
    }

    @Test
    void everyCommandAndFlagShownExists() throws IOException {
        Set<String> commands = launcherCommands();
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Line line : lines()) {
            List<String> shown = new ArrayList<>();
            if (line.inCode()) {
                shown.add(line.text());
            } else {
                Matcher m = INLINE_CODE.matcher(line.text());
                while (m.find()) {
                    shown.add(m.group(1));
                }
            }
            for (String s : shown) {
                int at = s.indexOf("./glassbox");
                if (at < 0) {
                    continue;
                }
                checked++;
                check(s.substring(at + "./glassbox".length()).trim(), commands)
                        .ifPresent(p -> problems.add(line.where() + ": " + p + " in: " + s.trim()));
            }
        }
        assertTrue(checked > 20, "expected the docs to show more than 20 ./glassbox commands, found " + checked);
        assertTrue(problems.isEmpty(), "commands or flags the docs show that do not exist:\n  "
                + String.join("\n  ", problems));
    }

    /** The command list is the launcher's usage text: its indented lines each begin with a command. */
    @Test
    void theLauncherCommandsAreReadFromItsUsage() throws IOException {
        assertEquals(Set.of("run", "list", "test", "bench", "gradcheck", "shell", "board", "setup", "help"),
                launcherCommands());
    }

    /** What is wrong with {@code ./glassbox <rest>}, or empty when nothing is. */
    private static Optional<String> check(String rest, Set<String> commands) {
        List<String> tokens = List.of(rest.split("\\s+"));
        if (rest.isEmpty()) {
            return Optional.empty(); // the launcher named in prose: ./glassbox alone prints its usage
        }
        String command = tokens.get(0);
        if (command.equals("--help") || command.equals("-h")) {
            return Optional.empty();
        }
        if (!commands.contains(command)) {
            return Optional.of("unknown command '" + command + "' (the launcher has " + commands + ")");
        }
        List<String> flags = flags(rest.substring(command.length()));
        Set<String> allowed;
        String what = command;
        switch (command) {
            case "test" -> {
                return Optional.empty(); // Maven's arguments
            }
            case "setup", "help" -> allowed = Set.of();
            case "gradcheck" -> allowed = options(new CommandLine(new GradcheckCommand()).getCommandSpec());
            case "shell" -> allowed = options(new CommandLine(new ShellCommand()).getCommandSpec());
            case "board" -> allowed = options(new CommandLine(new BoardCommand()).getCommandSpec());
            case "list" -> allowed = options(new CommandLine(new Main()).getSubcommands().get("list").getCommandSpec());
            case "run" -> {
                String experiment = tokens.size() > 1 ? tokens.get(1) : "";
                if (experiment.isEmpty() || experiment.startsWith("-")) {
                    allowed = options(new CommandLine(new Main()).getSubcommands().get("run").getCommandSpec());
                } else if (experiment.startsWith("<")) {
                    allowed = everyExperimentsOptions();
                    flags = flags(rest.substring(rest.indexOf(experiment) + experiment.length()));
                } else {
                    Optional<Experiments.Entry> entry = Experiments.find(experiment);
                    if (entry.isEmpty()) {
                        return Optional.of("unknown experiment '" + experiment + "' (./glassbox list has "
                                + Experiments.names() + ")");
                    }
                    allowed = options(new CommandLine(entry.get().factory().get()).getCommandSpec());
                    what = "run " + experiment;
                    flags = flags(rest.substring(rest.indexOf(experiment) + experiment.length()));
                }
            }
            case "bench" -> {
                CommandLine bench = new CommandLine(new BenchMain());
                String sub = tokens.size() > 1 ? tokens.get(1) : "";
                if (sub.isEmpty() || sub.startsWith("-")) {
                    allowed = options(bench.getCommandSpec());
                } else if (sub.startsWith("<")) {
                    return Optional.empty();
                } else {
                    CommandLine subcommand = bench.getSubcommands().get(sub);
                    if (subcommand == null) {
                        return Optional.of("unknown bench subcommand '" + sub + "' (BenchMain has "
                                + bench.getSubcommands().keySet() + ")");
                    }
                    allowed = options(subcommand.getCommandSpec());
                    what = "bench " + sub;
                    flags = flags(rest.substring(rest.indexOf(sub) + sub.length()));
                }
            }
            default -> throw new IllegalStateException("the launcher's command '" + command + "' is not known to DocsTest");
        }
        for (String flag : flags) {
            if (!allowed.contains(flag)) {
                return Optional.of("unknown flag " + flag + " for '" + what + "' (it has " + allowed + ")");
            }
        }
        return Optional.empty();
    }

    private static List<String> flags(String text) {
        List<String> flags = new ArrayList<>();
        Matcher m = FLAG.matcher(text);
        while (m.find()) {
            flags.add(m.group());
        }
        return flags;
    }

    private static Set<String> options(CommandSpec spec) {
        Set<String> names = new LinkedHashSet<>();
        for (OptionSpec option : spec.options()) {
            names.addAll(List.of(option.names()));
        }
        return names;
    }

    /** The flags every experiment takes (for {@code run <experiment> --flag}). */
    private static Set<String> everyExperimentsOptions() {
        Set<String> common = null;
        for (Experiments.Entry entry : Experiments.all()) {
            Set<String> these = options(new CommandLine(entry.factory().get()).getCommandSpec());
            if (common == null) {
                common = these;
            } else {
                common.retainAll(these);
            }
        }
        return common;
    }

    /** The commands in the launcher's usage text: the first word of each indented line between "usage:" and EOF. */
    private static Set<String> launcherCommands() throws IOException {
        Set<String> commands = new LinkedHashSet<>();
        boolean inUsage = false;
        for (String line : Files.readAllLines(ROOT.resolve("glassbox"))) {
            if (line.startsWith("usage: ./glassbox")) {
                inUsage = true;
            } else if (inUsage && line.equals("EOF")) {
                break;
            } else if (inUsage) {
                Matcher m = USAGE_LINE.matcher(line);
                if (m.matches()) {
                    commands.add(m.group(1));
                }
            }
        }
        return commands;
    }

    private static List<Path> docs() {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return files.stream().filter(Files::exists).toList();
    }

    private static List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        for (Path file : docs()) {
            boolean inCode = false;
            List<String> text;
            try {
                text = Files.readAllLines(file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            for (int i = 0; i < text.size(); i++) {
                String t = text.get(i);
                if (t.strip().startsWith("```")) {
                    inCode = !inCode;
                    continue;
                }
                lines.add(new Line(file, i + 1, t, inCode));
            }
        }
        return lines;
    }
}
