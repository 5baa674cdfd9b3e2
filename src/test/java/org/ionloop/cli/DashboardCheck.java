package org.ionloop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens the dashboard in Debian's headless Chromium (through Debian's chromedriver, never a
 * downloaded one), signs in with a token, and checks that every plot holds as many points as the
 * API has data: Pareto scatter and front, objectives by experiment, best-so-far; for an experiment
 * the Nyquist plot (measured points and fitted curve per temperature), the Arrhenius plot and the
 * step timeline. Saves a screenshot of each page.
 */
final class DashboardCheck {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private DashboardCheck() {}

  static void run(String url, String token, String campaignId, JsonNode campaign, JsonNode experiments,
      Path screenshots, Function<String, JsonNode> api) throws Exception {
    WebDriver browser = browser();
    try {
      Files.createDirectories(screenshots);
      browser.get(url + "/campaign.html?id=" + campaignId);
      // Without a token the page sends the browser to sign in first.
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(b -> b.getCurrentUrl().contains("/login.html"));
      browser.findElement(By.id("token")).sendKeys(token);
      browser.findElement(By.tagName("button")).click();
      awaitReady(browser, "campaign.html");

      List<JsonNode> measured = new java.util.ArrayList<>();
      experiments.forEach(e -> {
        if (e.path("objectives").size() > 0) {
          measured.add(e);
        }
      });
      assertTrue(measured.size() >= 3, "a campaign with results to draw");
      assertEquals(List.of((long) campaign.path("pareto_front").size(), (long) measured.size(), 1L),
          pointsPerDataset(browser, "pareto"), "Pareto plot: the front (on top), every result, the reference point");
      JsonNode objectives = campaign.path("objectives");
      String first = objectives.get(0).path("name").asText();
      java.util.Set<String> front = new java.util.HashSet<>();
      campaign.path("pareto_front").forEach(id -> front.add(id.asText()));
      List<Double> frontFromApi = measured.stream().filter(e -> front.contains(e.path("id").asText()))
          .map(e -> e.path("objectives").path(first).path("value").asDouble()).sorted().toList();
      @SuppressWarnings("unchecked")
      List<Number> plotted = (List<Number>) ((JavascriptExecutor) browser).executeScript(
          "return Chart.getChart('pareto').data.datasets[0].data.map(p => p.y);");
      assertEquals(frontFromApi, plotted.stream().map(Number::doubleValue).sorted().toList(),
          "the plotted front is the API's front, value for value");
      for (JsonNode o : objectives) {
        assertEquals(List.of((long) measured.size()), pointsPerDataset(browser, "objective-" + o.path("name").asText()),
            "a plot of " + o.path("name").asText() + " by experiment");
      }
      assertEquals(List.of((long) measured.size(), (long) campaign.path("hypervolume_so_far").size()),
          pointsPerDataset(browser, "best-so-far"));
      assertEquals(experiments.size(), browser.findElements(By.cssSelector("#experiments tbody tr")).size());
      assertTrue(browser.findElements(By.cssSelector("#decisions tbody tr")).size() >= experiments.size());
      boolean gpDecided = false;
      for (JsonNode d : api.apply("/api/campaigns/" + campaignId + "/decisions")) {
        gpDecided |= d.path("method").asText().equals("qNEHVI");
      }
      if (gpDecided) {
        assertTrue(browser.findElement(By.id("decisions")).getText().contains("(learned)"),
            "the decisions table shows the noise the surrogates assumed");
      }
      assertTrue(browser.findElement(By.id("state")).getText().startsWith("COMPLETED"));
      screenshot(browser, screenshots.resolve("campaign.png"));

      String experimentId = measured.get(0).path("id").asText();
      browser.findElement(By.linkText(experimentId.replaceFirst("^.*-(e\\d+)$", "$1"))).click();
      awaitReady(browser, "experiment.html");
      JsonNode spectra = api.apply("/api/campaigns/" + campaignId + "/experiments/" + experimentId + "/spectra");
      JsonNode experiment = api.apply("/api/campaigns/" + campaignId + "/experiments/" + experimentId);
      List<Long> expected = new java.util.ArrayList<>();
      for (JsonNode s : spectra) {
        expected.add((long) s.path("points").size());
        expected.add((long) s.path("fit").size());
      }
      assertEquals(expected, pointsPerDataset(browser, "nyquist"), "Nyquist: measured and fitted per temperature");
      assertEquals(List.of((long) experiment.path("arrhenius").path("points").size(), 2L, 20L, 20L),
          pointsPerDataset(browser, "arrhenius"), "Arrhenius: one point per temperature, the Ea line, its 95 % band");
      assertEquals(expected, pointsPerDataset(browser, "bode-modulus"), "Bode |Z|: measured and fitted per temperature");
      assertEquals(expected, pointsPerDataset(browser, "bode-phase"), "Bode phase: measured and fitted per temperature");
      // |Z| of the first plotted point is the API's first point's modulus.
      JsonNode p0 = spectra.get(0).path("points").get(0);
      Number modulus = (Number) ((JavascriptExecutor) browser).executeScript(
          "return Chart.getChart('bode-modulus').data.datasets[0].data[0].y;");
      assertEquals(Math.hypot(p0.get(1).asDouble(), p0.get(2).asDouble()), modulus.doubleValue(), 1e-6 * modulus.doubleValue());
      // Every plot saves as a PNG.
      String png = (String) ((JavascriptExecutor) browser).executeScript(
          "let got = null; const click = HTMLAnchorElement.prototype.click;"
          + "HTMLAnchorElement.prototype.click = function () { if (this.download) got = this.href; };"
          + "document.querySelector(\"a.png[data-chart='nyquist']\").dispatchEvent(new MouseEvent('click', {cancelable: true}));"
          + "HTMLAnchorElement.prototype.click = click; return got;");
      assertTrue(png != null && png.startsWith("data:image/png;base64,") && png.length() > 10_000,
          "the Nyquist plot as a PNG: " + (png == null ? null : png.substring(0, Math.min(40, png.length()))));
      assertEquals(browser.findElements(By.tagName("canvas")).size(), browser.findElements(By.cssSelector("a.png")).size(),
          "a PNG link under every plot");
      assertEquals(browser.findElements(By.tagName("canvas")).size(), browser.findElements(By.cssSelector("a.svg")).size(),
          "an SVG link under every plot");
      // …and as SVG: the axes with their units and a circle per plotted point.
      String svg = (String) ((JavascriptExecutor) browser).executeAsyncScript(
          "const done = arguments[arguments.length - 1]; let blob = null, name = null;"
          + "const click = HTMLAnchorElement.prototype.click, url = URL.createObjectURL;"
          + "URL.createObjectURL = b => { blob = b; return url(b); };"
          + "HTMLAnchorElement.prototype.click = function () { if (this.download) name = this.download; };"
          + "document.querySelector(\"a.svg[data-chart='nyquist']\").dispatchEvent(new MouseEvent('click', {cancelable: true}));"
          + "HTMLAnchorElement.prototype.click = click; URL.createObjectURL = url;"
          + "if (!blob || !name.endsWith('.svg')) done('no SVG download: ' + name); else blob.text().then(done);");
      assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg.substring(0, Math.min(80, svg.length())));
      assertTrue(svg.contains(">Z' (Ω)</text>") && svg.contains(">−Z'' (Ω)</text>"), "axis titles with units in the SVG");
      Files.writeString(screenshots.resolve("nyquist.svg"), svg);
      long circles = svg.split("<circle", -1).length - 1L;
      long nyquistValues = pointsPerDataset(browser, "nyquist").stream().mapToLong(Long::longValue).sum();
      assertTrue(circles > 0 && circles <= nyquistValues, circles + " circles for " + nyquistValues + " plotted values");
      assertEquals(List.of((long) experiment.path("steps").size()), pointsPerDataset(browser, "timeline"));
      // One ohm as long on both axes (the page squares the plot again after each resize: wait for it).
      String ohmPerPixel = "const c = Chart.getChart('nyquist'); const x = (c.scales.x.max - c.scales.x.min) / c.chartArea.width,"
          + " y = (c.scales.y.max - c.scales.y.min) / c.chartArea.height; return Math.abs(x - y) / x;";
      try {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(b -> ((Number) ((JavascriptExecutor) b)
            .executeScript(ohmPerPixel)).doubleValue() < 0.01);
      } catch (org.openqa.selenium.TimeoutException e) {
        throw new AssertionError("Nyquist axes not equal: relative difference in ohms per pixel "
            + ((JavascriptExecutor) browser).executeScript(ohmPerPixel), e);
      }
      String csv = (String) ((JavascriptExecutor) browser).executeAsyncScript(
          "const done = arguments[arguments.length - 1]; const make = URL.createObjectURL;"
          + "URL.createObjectURL = b => { b.text().then(done, e => done('ERROR ' + e)); return make.call(URL, b); };"
          + "HTMLAnchorElement.prototype.click = function () {};" // the blob is read above; no file is saved
          + "document.getElementById('download-spectra').click();");
      List<String> rows = csv.lines().toList();
      assertEquals("temperature_c,frequency_hz,z_real_ohm,z_imag_ohm", rows.get(0));
      long points = 0;
      for (JsonNode s : spectra) {
        points += s.path("points").size();
      }
      assertEquals(points, rows.size() - 1, "every measured point of every temperature in the download");
      JsonNode firstPoint = spectra.get(0).path("points").get(0);
      assertEquals(spectra.get(0).path("temperature_c").asDouble(), Double.parseDouble(rows.get(1).split(",")[0]));
      assertEquals(firstPoint.get(1).asDouble(), Double.parseDouble(rows.get(1).split(",")[2]), 1e-9);
      screenshot(browser, screenshots.resolve("experiment.png"));
      browser.findElement(By.id("zoom-bulk")).click();
      Number xMax = (Number) ((JavascriptExecutor) browser).executeScript(
          "return Chart.getChart('nyquist').scales.x.max;");
      assertTrue(xMax.doubleValue() < 1e5, "zoomed to the bulk arcs: x max " + xMax);
      screenshot(browser, screenshots.resolve("experiment-bulk-arcs.png"));

      browser.get(url + "/models.html");
      awaitReady(browser, "models.html");
      assertTrue(browser.findElements(By.cssSelector("#models tbody tr")).size() >= 1);
      browser.get(url + "/");
      awaitReady(browser, "/");
      assertTrue(browser.findElement(By.id("campaigns")).getText().contains(campaignId));
    } finally {
      browser.quit();
    }
  }

  /** Headless Chromium through Debian's chromedriver. */
  static WebDriver browser() {
    assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the dashboard test needs Debian's chromium and chromium-driver (bin/test installs them)");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1400,2000");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** A browser signed in with {@code token}, on the campaigns page, ready. */
  static WebDriver signedInOnTheCampaignsPage(String url, String token) {
    WebDriver browser = browser();
    browser.get(url + "/login.html?next=%2F");
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.tagName("button")).click();
    awaitReady(browser, "/");
    return browser;
  }

  static void awaitReady(WebDriver browser, String page) {
    new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.getCurrentUrl().contains(page)
        && "true".equals(((JavascriptExecutor) b).executeScript("return document.body.dataset.ready;")));
  }

  @SuppressWarnings("unchecked")
  private static List<Long> pointsPerDataset(WebDriver browser, String canvasId) {
    return (List<Long>) ((JavascriptExecutor) browser).executeScript(
        "return Chart.getChart(arguments[0]).data.datasets.map(d => d.data.length);", canvasId);
  }

  private static void screenshot(WebDriver browser, Path file) throws Exception {
    File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }
}
