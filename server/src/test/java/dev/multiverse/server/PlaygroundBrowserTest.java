package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The playground in a real browser: Debian's headless chromium, driven through chromedriver,
 * against a server on loopback with the shipped model. One generation of the arithmetic question
 * must draw a tree with at least two parallel paths, the answer 595, the figures, the batch chart
 * and the attention matrix; the page is saved as {@code target/playground-screenshot.png}.
 *
 * <p>Without /usr/bin/chromium or /usr/bin/chromedriver the test is skipped, unless CI=true (CI
 * installs both in .ci/run), where their absence fails it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlaygroundBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOT = Path.of("target/playground-screenshot.png");

    @Test
    void aQuestionGrowsATreeOfParallelPathsWithTheRightAnswer(@TempDir Path profile) throws Exception {
        requireBrowser();
        try (Served served = Served.start()) {
            WebDriver browser = open(profile);
            try {
                browser.get("http://127.0.0.1:" + served.server().port() + "/");
                assertEquals("Multiverse playground", browser.getTitle());
                // Note whether a path is ever drawn while it still runs: the tree grows live, not at the end.
                ((ChromeDriver) browser).executeScript("window.sawRunningPath = false; new MutationObserver(() => {"
                        + " if (document.querySelector('.path.running')) window.sawRunningPath = true; })"
                        + ".observe(document.body, {subtree: true, childList: true});");
                browser.findElement(By.id("generate")).click();
                var status = browser.findElement(By.id("status"));
                try {
                    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> status.getText().matches("done|stopped|error.*"));
                } catch (TimeoutException e) {
                    // Fall through to the screenshot, then fail on the status below.
                }
                Files.createDirectories(SCREENSHOT.getParent());
                Files.write(SCREENSHOT, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
                assertEquals("done", status.getText(), "the page's status after the generation (see " + SCREENSHOT + ")");

                assertEquals(Boolean.TRUE, ((ChromeDriver) browser).executeScript("return window.sawRunningPath;"),
                        "paths were drawn while they ran");
                assertTrue(browser.findElements(By.cssSelector(".path.running")).isEmpty(), "every path ended");

                WebElement generation = browser.findElement(By.cssSelector(".generation"));
                List<WebElement> paths = generation.findElements(By.cssSelector(".block .path"));
                assertTrue(paths.size() >= 2, "the tree shows " + paths.size() + " paths");
                for (WebElement path : paths)
                    assertTrue(path.findElement(By.cssSelector(".path-figures")).getText().matches("\\d+ tokens · positions \\d+–\\d+"),
                            "a path names its token count and positions: " + path.getText());
                assertTrue(generation.findElement(By.cssSelector(".region.goal")).findElements(By.tagName("li")).size() >= 2,
                        "the Goal lists its outlines");
                assertTrue(generation.findElement(By.cssSelector(".region.conclusion")).getText().contains("595"));
                assertEquals("join", generation.findElement(By.cssSelector(".block > .join")).getText());
                String merged = generation.findElement(By.cssSelector(".final-text")).getDomProperty("textContent");
                assertTrue(merged.contains("Answer: 595"), merged);

                String stats = generation.findElement(By.cssSelector(".stats")).getText();
                assertTrue(stats.contains("parallelism ratio") && stats.contains("critical path"), stats);
                assertTrue(generation.findElements(By.cssSelector("svg.batch rect")).size() > 10, "the batch chart has a bar per step");
                assertEquals(32 * 32, generation.findElements(By.cssSelector("svg.zoom rect")).size(), "the zoomed matrix window");
                assertTrue(Integer.parseInt(generation.findElement(By.cssSelector("canvas.overview")).getDomProperty("width")) > 100);
            } finally {
                browser.quit();
            }
        }
    }

    private static void requireBrowser() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (present) return;
        String missing = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)";
        if ("true".equals(System.getenv("CI"))) fail(missing + "; CI=true, where .ci/run installs them");
        Assumptions.assumeTrue(false, missing + "; skipped");
    }

    /** Headless chromium with a fresh profile; no driver or browser download is ever tried. */
    private static WebDriver open(Path profile) {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,2000");
        return new ChromeDriver(service, options);
    }
}
