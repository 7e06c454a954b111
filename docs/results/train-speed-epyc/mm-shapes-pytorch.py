import torch,time
torch.set_num_threads(2)
def bench(name,f,flop):
    for _ in range(2): f()
    ts=[]
    for _ in range(8):
        t=time.perf_counter(); f(); ts.append(time.perf_counter()-t)
    ts.sort(); print("%-34s %6.2f ms  %6.1f GFLOP/s"%(name,ts[len(ts)//2]*1e3,flop/ts[len(ts)//2]/1e9))
x=torch.randn(768,768); W1=torch.randn(3072,768); W2=torch.randn(768,3072); Wq=torch.randn(768,768)
g1=torch.randn(768,3072); h=torch.randn(768,3072); g=torch.randn(768,768)
F=2*768*768*3072
bench("fwd x@W1.t (768x768)(768x3072)", lambda: x@W1.t(), F)
bench("fwd h@W2.t (768x3072)(3072x768)", lambda: h@W2.t(), F)
bench("fwd x@Wq.t (768^3)", lambda: x@Wq.t(), 2*768**3)
bench("bwd dX g1@W1 (768x3072)(3072x768)", lambda: g1@W1, F)
bench("bwd dW g1.t@x (3072x768)(768x768)", lambda: g1.t()@x, F)
bench("bwd dW g.t@h (768x768)(768x3072)", lambda: g.t()@h, F)
bench("bwd dX g@W2 (768x768)(768x3072)", lambda: g@W2, F)
bench("bwd dW g.t@x (768^3)", lambda: g.t()@x, 2*768**3)
bench("bwd dX g@Wq (768^3)", lambda: g@Wq, 2*768**3)
