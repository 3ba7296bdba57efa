package glassbox.board;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Debian's headless chromium, driven through its chromium-driver by Selenium, for the board's browser tests.
 * Nothing is downloaded: the browser and the driver are the installed ones ({@code .ci/run} installs both as
 * root), and a test is skipped with the install line where they are missing.
 */
final class Browser implements AutoCloseable {
    private static final List<Path> BROWSERS = List.of(Path.of("/usr/bin/chromium"), Path.of("/usr/bin/chromium-browser"));
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    /** Where screenshots go, to be looked at: {@code target/board-screenshots/}. */
    static final Path SCREENSHOTS = Path.of("target", "board-screenshots");

    final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    /** Why there is no browser to test with here, naming the line that installs one; {@code null} if there is. */
    static String missing() {
        boolean browser = BROWSERS.stream().anyMatch(Files::isExecutable);
        if (browser && Files.isExecutable(DRIVER)) {
            return null;
        }
        return "no " + (browser ? "" : "chromium ") + (browser || Files.isExecutable(DRIVER) ? "" : "and no ")
                + (Files.isExecutable(DRIVER) ? "" : "chromium-driver ") + "here (" + BROWSERS.get(0) + ", " + DRIVER
                + "): sudo apt-get install -y chromium chromium-driver installs them (.ci/run does, as root)";
    }

    /**
     * Skips the test about to run when {@code missing} says there is no browser, printing the test's name and
     * why: Surefire's console shows only the count of skipped tests. Called before each test (a class-level
     * skip would show as no tests at all).
     */
    static void assumeAvailable(String missing, TestInfo test) {
        if (missing != null) {
            System.err.println("SKIPPED " + test.getTestClass().map(Class::getSimpleName).orElse("?") + "."
                    + test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("?") + ": " + missing);
        }
        Assumptions.assumeTrue(missing == null, missing);
    }

    /** A headless chromium (check {@link #missing} first). */
    static Browser open() {
        Path browser = BROWSERS.stream().filter(Files::isExecutable).findFirst().orElseThrow();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        // --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-extensions", "--no-first-run",
                "--window-size=1400,1000", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new Browser(new ChromeDriver(service, options));
    }

    /**
     * Loads {@code url} afresh: through a blank page first, since a URL differing only in its {@code #…} would
     * otherwise keep the page (and its state) of the test before.
     */
    void get(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    /**
     * Waits up to {@code seconds} for {@code condition} to be non-null and not false. An element that the page
     * redrew meanwhile (the runs list is redrawn every few seconds) is looked up again.
     */
    <T> T await(int seconds, String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition::apply);
    }

    /** The visible text of the first element matching {@code css}, once there is one. */
    String text(String css) {
        return await(20, "an element " + css, d -> d.findElement(By.cssSelector(css)).getText());
    }

    /** Runs JavaScript in the page and returns its value. */
    Object js(String script, Object... args) {
        return ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Saves the page as {@code target/board-screenshots/<name>.png}. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** Closes a test class's browser and server, those it opened ({@code null}: skipped before opening). */
    static void closeAll(Browser browser, BoardServer server) {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
