"""Independent cross-check of check I-D2: the entity corpus, TF-IDF retrieval and the greedy
traversal re-implemented from the written description alone (the paper's method section and
the README's EC-v1 recipe) (numpy; none of the Swift code), to tell a
spec limit from an implementation bug.

It builds an EC-like corpus to the recipe (64 name syllables, 10 relations x 20 values, 150
fillers in 12 topics with 80% of the mass on 25 favoured fillers, 4 sibling documents per
entity with pairwise different relation subsets, 15% filler-only documents), embeds it with the
README's TF-IDF (tf = 1 + ln c, idf = ln((1 + N)/(1 + df)) + 1, L2-normalised, features = all
non-function tokens), takes exact kNN (k = 5, ties by lower index), deduplicates at cosine 0.9,
walks Algorithm 1 (minimum-degree start, most similar unvisited neighbour) and prints the top-1
sibling precision, the same-entity share of adjacent pairs, its ceiling (every entity's
documents adjacent) and the adjacent cosine against random order.

Its random numbers are numpy's, not the suite's, so it reproduces the statistics, not the
Swift corpus itself. Not run by the tests. Usage:

    python3 tools/retrieval_from_spec.py ENTITIES SEED [spec|noFill|nameOnly|noCue]

e.g. `python3 tools/retrieval_from_spec.py 3000 1` (about 15 s on one core).
"""
import numpy as np, sys, time
# Vocabulary layout as in the spec (and EntityCorpus.swift)
S,R,V,F,FILL,T,FAV=64,10,20,40,150,12,25
PAD,BOS,EOS=0,1,2
FB=3; SB=FB+F; CB=SB+S; VB=CB+R; LB=VB+R*V; VOC=LB+FILL
IS,ITS,PER=FB,FB+1,FB+2
def gen(ne, seed, fav_mass=0.8, pfill=0.7):
    rng=np.random.default_rng(seed)
    tw=[]
    for t in range(T):
        w=np.full(FILL,(1-fav_mass)/FILL); w[rng.permutation(FILL)[:FAV]]+=fav_mass/FAV; tw.append(w/w.sum())
    names=set(); nl=[]
    while len(nl)<ne:
        n=(int(rng.integers(S)),int(rng.integers(S)))
        if n not in names: names.add(n); nl.append(n)
    vals=rng.integers(V,size=(ne,R)); top=rng.integers(T,size=ne)
    def fsent(t):
        n=rng.integers(11,18); out=[]
        for _ in range(n):
            if rng.random()<pfill: out.append(LB+rng.choice(FILL,p=tw[t]))
            else: out.append(FB+3+rng.integers(F-3))
        return out+[PER]
    docs=[];lab=[]
    for e in range(ne):
        subs=[]
        while len(subs)<4:
            s=tuple(rng.permutation(R)[:3])
            if frozenset(s) not in [frozenset(x) for x in subs]: subs.append(s)
        for s in subs:
            parts=[[ITS,CB+r,IS,VB+r*V+vals[e,r],PER] for r in s]
            for _ in range(rng.integers(1,4)): parts.append(fsent(top[e]))
            toks=[SB+nl[e][0],SB+nl[e][1],PER]
            for i in rng.permutation(len(parts)): toks+=parts[i]
            docs.append(toks); lab.append(e)
    nf=round(len(docs)*0.15)
    for _ in range(nf):
        t=rng.integers(T); toks=[]
        for _ in range(rng.integers(2,5)): toks+=fsent(t)
        docs.append(toks); lab.append(-1)
    p=rng.permutation(len(docs))
    return [docs[i] for i in p], np.array([lab[i] for i in p])

def tfidf(docs, keepfeat=None):
    N=len(docs); C=np.zeros((N,VOC),np.float32)
    for i,d in enumerate(docs):
        for x in d:
            if x>=SB and (keepfeat is None or keepfeat(x)): C[i,x]+=1
    df=(C>0).sum(0); idf=np.log((1+N)/(1+df))+1
    W=np.where(C>0,1+np.log(np.maximum(C,1)),0)*idf
    W/=np.maximum(np.linalg.norm(W,axis=1,keepdims=True),1e-12)
    return W.astype(np.float32)

def knn(W,k):
    N=len(W); ids=np.zeros((N,k),int); sims=np.zeros((N,k),np.float32)
    for s in range(0,N,1024):
        M=W[s:s+1024]@W.T
        for r in range(M.shape[0]): M[r,s+r]=-np.inf
        # ties by lower index: stable sort on -sim
        o=np.argsort(-M,axis=1,kind='stable')[:,:k]
        ids[s:s+1024]=o; sims[s:s+1024]=np.take_along_axis(M,o,1)
    return ids,sims

def pipeline(W,lab,k=5,thr=0.9):
    N=len(W); ids,sims=knn(W,k)
    keep=np.ones(N,bool)
    for d in range(N):
        for j,s in zip(ids[d],sims[d]):
            if j<d and keep[j] and s>=thr: keep[d]=False;break
    adj=[dict() for _ in range(N)]
    for d in range(N):
        if not keep[d]: continue
        for j,s in zip(ids[d],sims[d]):
            if keep[j] and j!=d: adj[d][j]=s; adj[j][d]=s
    nodes=[d for d in range(N) if keep[d]]
    deg={d:len(adj[d]) for d in nodes}
    q=sorted(nodes,key=lambda d:(deg[d],d)); vis=set(); path=[]; c=0; restarts=-1
    while len(path)<len(nodes):
        while q[c] in vis: c+=1
        d=q[c]; restarts+=1
        while True:
            path.append(d); vis.add(d)
            cand=[(-w,e) for e,w in adj[d].items() if e not in vis]
            if not cand: break
            d=min(cand)[1]
    top1=np.mean([lab[ids[d,0]]==lab[d] for d in range(N) if lab[d]>=0])
    topk=np.mean([np.mean(lab[ids[d]]==lab[d]) for d in range(N) if lab[d]>=0])
    a=np.array([lab[path[i]]==lab[path[i-1]] and lab[path[i]]>=0 for i in range(1,len(path))])
    cos=np.mean([W[path[i]]@W[path[i-1]] for i in range(1,len(path))])
    rp=np.random.default_rng(0).permutation(N); rcos=np.mean(np.sum(W[rp[1:]]*W[rp[:-1]],1))
    # oracle ceiling
    ne=lab.max()+1; ceil=(np.sum(lab>=0)-ne)/(N-1)
    return dict(N=N,top1=round(top1,3),topk_prec=round(topk,3),adj=round(a.mean(),3),ceiling=round(ceil,3),
                cos=round(cos,3),rcos=round(rcos,3),ratio=round(cos/rcos,2),restarts=restarts,kept=len(nodes))

if __name__=="__main__":
    ne=int(sys.argv[1]); seed=int(sys.argv[2]); variant=sys.argv[3] if len(sys.argv)>3 else "spec"
    t0=time.time(); docs,lab=gen(ne,seed)
    kf=None
    if variant=="noFill": kf=lambda x: x<LB
    if variant=="nameOnly": kf=lambda x: x<CB
    if variant=="noCue": kf=lambda x: not (CB<=x<VB)
    W=tfidf(docs,kf)
    print(variant,ne,seed,pipeline(W,lab),"lenmean",np.mean([len(d) for d in docs]),"tok",sum(len(d) for d in docs),f"{time.time()-t0:.0f}s",flush=True)
