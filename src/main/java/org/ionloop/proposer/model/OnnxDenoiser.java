package org.ionloop.proposer.model;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import org.ionloop.ErrorCode;
import org.ionloop.IonloopException;

/**
 * The diffusion denoiser ε_θ(x_t, t, c, mask) run by ONNX Runtime through DJL. The model is
 * loaded once; predictors are pooled (one per concurrent caller, created on demand, at most one
 * per core) and reused, never created per sample. Thread-safe.
 */
public final class OnnxDenoiser implements AutoCloseable {
  static {
    // DJL otherwise "calls home" to a cloud metadata address on engine start; a lab network
    // must not see that, and this machine may not reach it.
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("ai.djl.offline", "true");
  }

  private final ZooModel<NDList, NDList> model;
  private final java.util.concurrent.LinkedBlockingDeque<Predictor<NDList, NDList>> idle =
      new java.util.concurrent.LinkedBlockingDeque<>();
  private final java.util.List<Predictor<NDList, NDList>> all =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());
  private final int dimension;
  private final int conditions;

  /**
   * Loads {@code onnxFile} with the OnnxRuntime engine.
   *
   * @param dimension  width of x (and of the output ε)
   * @param conditions width of the condition vector
   * @throws IonloopException code MODEL when the file is missing or not a loadable ONNX model
   */
  public OnnxDenoiser(Path onnxFile, int dimension, int conditions) {
    this.dimension = dimension;
    this.conditions = conditions;
    try {
      Criteria<NDList, NDList> criteria = Criteria.builder()
          .setTypes(NDList.class, NDList.class)
          .optModelPath(onnxFile)
          .optEngine("OnnxRuntime")
          .optTranslator(new NoopTranslator())
          .build();
      this.model = criteria.loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
      throw new IonloopException(ErrorCode.MODEL, "cannot load ONNX model " + onnxFile + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Predicts the noise for a batch.
   *
   * @param x    [batch × dimension] row-major, standardised design vectors. Not modified.
   * @param t    [batch] diffusion time (step+1)/T. Not modified.
   * @param cond [batch × conditions] standardised conditions. Not modified.
   * @param mask [batch] 1 = conditional, 0 = unconditional. Not modified.
   * @return ε, [batch × dimension] row-major
   */
  public float[] predict(float[] x, float[] t, float[] cond, float[] mask, int batch) {
    Predictor<NDList, NDList> predictor = borrow();
    try (NDManager m = model.getNDManager().newSubManager()) {
      NDArray xa = m.create(x, new Shape(batch, dimension));
      xa.setName("x");
      NDArray ta = m.create(t, new Shape(batch, 1));
      ta.setName("t");
      NDArray ca = m.create(cond, new Shape(batch, conditions));
      ca.setName("cond");
      NDArray ma = m.create(mask, new Shape(batch, 1));
      ma.setName("cond_mask");
      NDList out = predictor.predict(new NDList(xa, ta, ca, ma));
      return out.get(0).toFloatArray();
    } catch (TranslateException e) {
      throw new IonloopException(ErrorCode.MODEL, "ONNX inference failed: " + e.getMessage(), e);
    } finally {
      idle.push(predictor);
    }
  }

  private Predictor<NDList, NDList> borrow() {
    Predictor<NDList, NDList> p = idle.poll();
    if (p != null) {
      return p;
    }
    if (all.size() < Runtime.getRuntime().availableProcessors()) {
      p = model.newPredictor();
      all.add(p);
      return p;
    }
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IonloopException(ErrorCode.MODEL, "interrupted waiting for a predictor", e);
    }
  }

  /** Predictors created so far (for tests and benchmarks: they are reused, not made per call). */
  public int predictors() {
    return all.size();
  }

  @Override
  public void close() {
    synchronized (all) {
      all.forEach(Predictor::close);
    }
    model.close();
  }
}
