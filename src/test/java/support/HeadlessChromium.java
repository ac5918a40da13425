package support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium in headless mode, driven through Debian's chromedriver (packages {@code chromium} and
 * {@code chromium-driver}, which {@code scripts/test.sh} installs): nothing is downloaded, no browser is looked for
 * elsewhere. Missing, it fails the test that wanted it, naming the install step. It records every request its pages
 * make, and saves screenshots under {@code target/screenshots/}.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** How to get the browser; the message of a test that finds none. */
    public static final String INSTALL = "apt-get install -y chromium chromium-driver (as scripts/test.sh does)";

    /** The most a page is waited for: a run on a loaded 2-core machine, then the page's update. */
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final String test;
    private final List<String> requests = new ArrayList<>();

    private HeadlessChromium(ChromeDriver driver, String test) {
        this.driver = driver;
        this.test = test;
    }

    /** Starts the browser for {@code test} (the screenshots' prefix). */
    public static HeadlessChromium start(String test) throws IOException {
        Path browser = onPath("chromium");
        Path chromedriver = onPath("chromedriver");
        Path profile = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")),
                "chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(browser.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,800", "--user-data-dir=" + profile.toAbsolutePath(),
                // the browser's own traffic (updates, sync, field trials) is none of the pages' business
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--no-first-run", "--disable-features=Translate,OptimizationHints");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new HeadlessChromium(new ChromeDriver(service, options), test);
    }

    private static Path onPath(String command) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("No " + command + " on the PATH: the web UI's tests drive Debian's headless"
                                 + " Chromium. Install it with " + INSTALL);
    }

    public WebDriver driver() {
        return driver;
    }

    public void open(URI page) {
        driver.get(page.toString());
    }

    /** Waits until {@code condition} holds on the page, as long as a run may take on a loaded machine. */
    public <T> T await(String what, ExpectedCondition<T> condition) {
        // a part of the page the script replaces leaves the elements found in it stale: looked for again
        return new WebDriverWait(driver, WAIT, Duration.ofMillis(200)).withMessage(what)
                .ignoring(StaleElementReferenceException.class).until(condition);
    }

    /** Saves what the browser shows as {@code target/screenshots/<test>-<name>.png}, and returns the file. */
    public Path screenshot(String name) throws IOException {
        Path folder = Files.createDirectories(Path.of("target", "screenshots"));
        Path target = folder.resolve(test + "-" + name + ".png");
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** The same of the page's {@code body} alone: the page's content, no empty window below it. */
    public Path screenshotOfContent(String name) throws IOException {
        Path folder = Files.createDirectories(Path.of("target", "screenshots"));
        Path target = folder.resolve(test + "-" + name + ".png");
        Files.copy(driver.findElement(By.tagName("body")).getScreenshotAs(OutputType.FILE).toPath(), target,
                StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /**
     * Every URL the pages of {@code app} have asked for so far (the pages themselves, their scripts, styles, images and
     * fetches), from the browser's own network log; the browser's own pages (its new tab) are not the app's.
     */
    public List<String> requestsOfPagesOf(URI app) throws IOException {
        String origin = app.getScheme() + "://" + app.getAuthority() + "/";
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = JSON.readTree(entry.getMessage()).path("message");
            JsonNode params = message.path("params");
            if ("Network.requestWillBeSent".equals(message.path("method").asText())
                && params.path("documentURL").asText().startsWith(origin)) {
                requests.add(params.path("request").path("url").asText());
            }
        }
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
