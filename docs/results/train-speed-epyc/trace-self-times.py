import json,sys,collections
d=json.load(open(sys.argv[1]))
ev=d['traceEvents'] if isinstance(d,dict) else d
steps=float(sys.argv[2])
# self time: per thread, subtract children durations
byth=collections.defaultdict(list)
for e in ev:
    if e.get('ph')=='X' and e.get('cat','cpu_op') in ('cpu_op','Operator','operator',None) :
        byth[e['tid']].append(e)
tot=collections.Counter(); self_=collections.Counter(); cnt=collections.Counter()
for tid,es in byth.items():
    es.sort(key=lambda e:(e['ts'],-e['dur']))
    stack=[]
    for e in es:
        while stack and stack[-1]['ts']+stack[-1]['dur']<=e['ts']: stack.pop()
        if stack: stack[-1]['_child']=stack[-1].get('_child',0)+e['dur']
        stack.append(e)
    for e in es:
        n=e['name']; tot[n]+=e['dur']; self_[n]+=e['dur']-e.get('_child',0); cnt[n]+=1
T=sum(self_.values())
print("total self ms/step %.0f"%(T/1000/steps))
for n,v in self_.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 30):
    print("%-45s self %8.1f ms/step  calls/step %6.0f  total %8.1f"%(n[:45],v/1000/steps,cnt[n]/steps,tot[n]/1000/steps))
