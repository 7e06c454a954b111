import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
var m = NDManager.newBaseManager("PyTorch");
void bench(String name, java.util.function.Supplier<NDArray> f, double flop) {
  for (int i=0;i<2;i++) f.get().close();
  double[] ts = new double[8];
  for (int i=0;i<8;i++){ long t=System.nanoTime(); NDArray r=f.get(); r.toType(DataType.FLOAT32,false); ts[i]=(System.nanoTime()-t)/1e9; r.close(); }
  java.util.Arrays.sort(ts);
  System.out.printf("%-34s %6.2f ms  %6.1f GFLOP/s%n", name, ts[4]*1e3, flop/ts[4]/1e9);
}
var x=m.randomNormal(new Shape(768,768)); var W1=m.randomNormal(new Shape(3072,768)); var W2=m.randomNormal(new Shape(768,3072)); var Wq=m.randomNormal(new Shape(768,768));
var g1=m.randomNormal(new Shape(768,3072)); var h=m.randomNormal(new Shape(768,3072)); var g=m.randomNormal(new Shape(768,768));
double F=2.0*768*768*3072, S=2.0*768*768*768;
bench("fwd x@W1.t (768x768)(768x3072)", () -> x.matMul(W1.transpose()), F);
bench("fwd h@W2.t (768x3072)(3072x768)", () -> h.matMul(W2.transpose()), F);
bench("fwd x@Wq.t (768^3)", () -> x.matMul(Wq.transpose()), S);
bench("bwd dX g1@W1", () -> g1.matMul(W1), F);
bench("bwd dW g1.t@x", () -> g1.transpose().matMul(x), F);
bench("bwd dW g.t@h", () -> g.transpose().matMul(h), F);
bench("bwd dX g@W2", () -> g.matMul(W2), F);
bench("bwd dW g.t@x (768^3)", () -> g.transpose().matMul(x), S);
bench("bwd dX g@Wq (768^3)", () -> g.matMul(Wq), S);
/exit
