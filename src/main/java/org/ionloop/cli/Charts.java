package org.ionloop.cli;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Small helpers around XChart: series styles and several charts side by side in one PNG. */
final class Charts {
  private Charts() {}

  static void points(XYSeries s) {
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
  }

  static void line(XYSeries s) {
    s.setMarker(SeriesMarkers.NONE);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
  }

  /** Renders the charts left to right into one PNG. */
  static void writeSideBySide(Path png, XYChart... charts) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage[] images = new BufferedImage[charts.length];
    int width = 0;
    int height = 0;
    for (int i = 0; i < charts.length; i++) {
      images[i] = BitmapEncoder.getBufferedImage(charts[i]);
      width += images[i].getWidth();
      height = Math.max(height, images[i].getHeight());
    }
    BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    int x = 0;
    for (BufferedImage image : images) {
      g.drawImage(image, x, 0, null);
      x += image.getWidth();
    }
    g.dispose();
    ImageIO.write(all, "png", png.toFile());
  }
}
