#!/usr/bin/env python3
"""A read-only fake Kubernetes API server (127.0.0.1 only) for real kubectl.

It serves the objects of a snapshot directory written by run.sh:
  DIR/objects.json  a kubectl List (what `kubesim get <every kind> -A -o json` printed)
  DIR/clock.txt     the simulated now (first word: RFC 3339), used for the node lease
  DIR/kinds.txt     resource names to advertise in discovery (`kubesim api-resources -o name`)
Files are re-read whenever objects.json changes, so run.sh can re-export between commands.

Served groups: core v1, apps/v1, batch/v1, storage.k8s.io/v1 and discovery.k8s.io/v1 (kubesim's
own EndpointSlices), each limited to the resources kinds.txt lists, with a 1.32 apiserver's
discovery documents for them (legacy discovery; real kubectl falls back to it).
What a real kube-apiserver would add and kubesim does not store is synthesized, and only that:
the kubelet's Lease per node (as kubesim's own describe derives it), EndpointSlices per
Service (what the EndpointSlice controller keeps) only for a kubesim without EndpointSlices,
empty ResourceQuota/LimitRange/Endpoints lists when kubesim does not have those kinds.
No Table responses: `kubectl get` tables are server-side printing and are not compared.

Usage: fakeapi.py --dir DIR --port-file FILE [--port N] [--log FILE]
"""
import argparse
import datetime
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Core v1 discovery as a real v1.31/1.32 kube-apiserver answers it (only what kubesim may use).
V1_RESOURCES = [
    {"name": "configmaps", "singularName": "configmap", "namespaced": True, "kind": "ConfigMap", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["cm"], "storageVersionHash": "qFsyl6wFWjQ="},
    {"name": "endpoints", "singularName": "endpoints", "namespaced": True, "kind": "Endpoints", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["ep"], "storageVersionHash": "fWeeMqaN/OA="},
    {"name": "events", "singularName": "event", "namespaced": True, "kind": "Event", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["ev"], "storageVersionHash": "r2yiGXH7wu8="},
    {"name": "limitranges", "singularName": "limitrange", "namespaced": True, "kind": "LimitRange", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["limits"], "storageVersionHash": "EBKMFVe6cwo="},
    {"name": "namespaces", "singularName": "namespace", "namespaced": False, "kind": "Namespace", "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"], "shortNames": ["ns"], "storageVersionHash": "Q3oi5N2YM8M="},
    {"name": "namespaces/finalize", "singularName": "", "namespaced": False, "kind": "Namespace", "verbs": ["update"]},
    {"name": "namespaces/status", "singularName": "", "namespaced": False, "kind": "Namespace", "verbs": ["get", "patch", "update"]},
    {"name": "nodes", "singularName": "node", "namespaced": False, "kind": "Node", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["no"], "storageVersionHash": "XwShjMxG9Fs="},
    {"name": "nodes/proxy", "singularName": "", "namespaced": False, "kind": "NodeProxyOptions", "verbs": ["create", "delete", "get", "patch", "update"]},
    {"name": "nodes/status", "singularName": "", "namespaced": False, "kind": "Node", "verbs": ["get", "patch", "update"]},
    {"name": "persistentvolumeclaims", "singularName": "persistentvolumeclaim", "namespaced": True, "kind": "PersistentVolumeClaim", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["pvc"], "storageVersionHash": "QWTyNDq0dC4="},
    {"name": "persistentvolumeclaims/status", "singularName": "", "namespaced": True, "kind": "PersistentVolumeClaim", "verbs": ["get", "patch", "update"]},
    {"name": "persistentvolumes", "singularName": "persistentvolume", "namespaced": False, "kind": "PersistentVolume", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["pv"], "storageVersionHash": "HN/zwEC+JgM="},
    {"name": "persistentvolumes/status", "singularName": "", "namespaced": False, "kind": "PersistentVolume", "verbs": ["get", "patch", "update"]},
    {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["po"], "categories": ["all"], "storageVersionHash": "xPOwRZ+Yhw8="},
    {"name": "pods/attach", "singularName": "", "namespaced": True, "kind": "PodAttachOptions", "verbs": ["create", "get"]},
    {"name": "pods/binding", "singularName": "", "namespaced": True, "kind": "Binding", "verbs": ["create"]},
    {"name": "pods/ephemeralcontainers", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get", "patch", "update"]},
    {"name": "pods/eviction", "singularName": "", "namespaced": True, "group": "policy", "version": "v1", "kind": "Eviction", "verbs": ["create"]},
    {"name": "pods/exec", "singularName": "", "namespaced": True, "kind": "PodExecOptions", "verbs": ["create", "get"]},
    {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get"]},
    {"name": "pods/portforward", "singularName": "", "namespaced": True, "kind": "PodPortForwardOptions", "verbs": ["create", "get"]},
    {"name": "pods/proxy", "singularName": "", "namespaced": True, "kind": "PodProxyOptions", "verbs": ["create", "delete", "get", "patch", "update"]},
    {"name": "pods/status", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get", "patch", "update"]},
    {"name": "resourcequotas", "singularName": "resourcequota", "namespaced": True, "kind": "ResourceQuota", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["quota"], "storageVersionHash": "8uhSgffRX6w="},
    {"name": "resourcequotas/status", "singularName": "", "namespaced": True, "kind": "ResourceQuota", "verbs": ["get", "patch", "update"]},
    {"name": "secrets", "singularName": "secret", "namespaced": True, "kind": "Secret", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "storageVersionHash": "S6u1pOWzb84="},
    {"name": "serviceaccounts", "singularName": "serviceaccount", "namespaced": True, "kind": "ServiceAccount", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["sa"], "storageVersionHash": "pbx9ZvyFpBE="},
    {"name": "serviceaccounts/token", "singularName": "", "namespaced": True, "group": "authentication.k8s.io", "version": "v1", "kind": "TokenRequest", "verbs": ["create"]},
    {"name": "services", "singularName": "service", "namespaced": True, "kind": "Service", "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"], "shortNames": ["svc"], "categories": ["all"], "storageVersionHash": "0/CO1lhkEBI="},
    {"name": "services/proxy", "singularName": "", "namespaced": True, "kind": "ServiceProxyOptions", "verbs": ["create", "delete", "get", "patch", "update"]},
    {"name": "services/status", "singularName": "", "namespaced": True, "kind": "Service", "verbs": ["get", "patch", "update"]},
]
V1_BY_NAME = {r["name"]: r for r in V1_RESOURCES}

# The API groups kubesim serves, as a v1.32 kube-apiserver's /apis/<group>/<version> lists them
# (kubernetes/api/discovery/apis__<group>__<version>.json; only the resources kubesim has).
_RW = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
_SUB = ["get", "patch", "update"]
GROUPS = [  # (group, version, resources) in the order a real /apis lists these groups
    ("apps", "v1", [
        {"name": "controllerrevisions", "singularName": "controllerrevision", "namespaced": True, "kind": "ControllerRevision", "verbs": _RW, "storageVersionHash": "85nkx63pcBU="},
        {"name": "daemonsets", "singularName": "daemonset", "namespaced": True, "kind": "DaemonSet", "verbs": _RW, "shortNames": ["ds"], "categories": ["all"], "storageVersionHash": "dd7pWHUlMKQ="},
        {"name": "daemonsets/status", "singularName": "", "namespaced": True, "kind": "DaemonSet", "verbs": _SUB},
        {"name": "deployments", "singularName": "deployment", "namespaced": True, "kind": "Deployment", "verbs": _RW, "shortNames": ["deploy"], "categories": ["all"], "storageVersionHash": "8aSe+NMegvE="},
        {"name": "deployments/scale", "singularName": "", "namespaced": True, "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": _SUB},
        {"name": "deployments/status", "singularName": "", "namespaced": True, "kind": "Deployment", "verbs": _SUB},
        {"name": "replicasets", "singularName": "replicaset", "namespaced": True, "kind": "ReplicaSet", "verbs": _RW, "shortNames": ["rs"], "categories": ["all"], "storageVersionHash": "P1RzHs8/mWQ="},
        {"name": "replicasets/scale", "singularName": "", "namespaced": True, "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": _SUB},
        {"name": "replicasets/status", "singularName": "", "namespaced": True, "kind": "ReplicaSet", "verbs": _SUB},
        {"name": "statefulsets", "singularName": "statefulset", "namespaced": True, "kind": "StatefulSet", "verbs": _RW, "shortNames": ["sts"], "categories": ["all"], "storageVersionHash": "H+vl74LkKdo="},
        {"name": "statefulsets/scale", "singularName": "", "namespaced": True, "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": _SUB},
        {"name": "statefulsets/status", "singularName": "", "namespaced": True, "kind": "StatefulSet", "verbs": _SUB},
    ]),
    ("autoscaling", "v2", [
        {"name": "horizontalpodautoscalers", "singularName": "horizontalpodautoscaler", "namespaced": True, "kind": "HorizontalPodAutoscaler", "verbs": _RW, "shortNames": ["hpa"], "categories": ["all"], "storageVersionHash": "qwQve8ut294="},
        {"name": "horizontalpodautoscalers/status", "singularName": "", "namespaced": True, "kind": "HorizontalPodAutoscaler", "verbs": _SUB},
    ]),
    ("batch", "v1", [
        {"name": "cronjobs", "singularName": "cronjob", "namespaced": True, "kind": "CronJob", "verbs": _RW, "shortNames": ["cj"], "categories": ["all"], "storageVersionHash": "sd5LIXh4Fjs="},
        {"name": "cronjobs/status", "singularName": "", "namespaced": True, "kind": "CronJob", "verbs": _SUB},
        {"name": "jobs", "singularName": "job", "namespaced": True, "kind": "Job", "verbs": _RW, "categories": ["all"], "storageVersionHash": "mudhfqk/qZY="},
        {"name": "jobs/status", "singularName": "", "namespaced": True, "kind": "Job", "verbs": _SUB},
    ]),
    ("storage.k8s.io", "v1", [
        {"name": "storageclasses", "singularName": "storageclass", "namespaced": False, "kind": "StorageClass", "verbs": _RW, "shortNames": ["sc"], "storageVersionHash": "K+m6uJwbjGY="},
    ]),
    ("discovery.k8s.io", "v1", [
        {"name": "endpointslices", "singularName": "endpointslice", "namespaced": True, "kind": "EndpointSlice", "verbs": _RW, "storageVersionHash": "Nx3SIv6I0mE="},
    ]),
]
GROUP_BY_NAME = {g: (v, res) for g, v, res in GROUPS}

# Field selectors the real apiserver accepts (besides metadata.name / metadata.namespace).
FIELD_LABELS = {
    "pods": {"spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
             "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs", "status.nominatedNodeName"},
    "events": {"involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
               "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
               "reason", "reportingComponent", "source", "type"},
    "secrets": {"type"},
    "namespaces": {"status.phase"},
    "nodes": {"spec.unschedulable"},
    "replicasets": {"status.replicas"},
    "jobs": {"status.successful"},
}

VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.0", "gitCommit": "70d3cc986aa8221cd1dfb1121852688902d3bf53",
           "gitTreeState": "clean", "buildDate": "2024-12-11T17:59:15Z", "goVersion": "go1.23.3", "compiler": "gc",
           "platform": "linux/amd64"}


class Snapshot:
    def __init__(self, d):
        self.dir = d
        self.mtime = None
        self.lock = threading.Lock()
        self.by_res = {}
        self.now = None
        self.kinds = []

    def load(self):
        path = os.path.join(self.dir, "objects.json")
        with self.lock:
            st = os.stat(path)
            m = (st.st_ino, st.st_mtime_ns)
            if m == self.mtime:
                return self
            with open(path) as f:
                data = json.load(f)
            kind_to_res = {("v1", r["kind"]): r["name"] for r in V1_RESOURCES if "/" not in r["name"]}
            for g, v, rs in GROUPS:
                kind_to_res.update({(g + "/" + v, r["kind"]): r["name"] for r in rs if "/" not in r["name"]})
            by_res = {}
            for o in data.get("items", []):
                res = kind_to_res.get((o.get("apiVersion"), o.get("kind")))
                if res:
                    by_res.setdefault(res, []).append(o)
            self.by_res = by_res
            try:
                with open(os.path.join(self.dir, "clock.txt")) as f:
                    self.now = parse_time(f.read().split()[0])
            except (OSError, IndexError, ValueError):
                self.now = None
            try:
                with open(os.path.join(self.dir, "kinds.txt")) as f:
                    # `kubesim api-resources -o name` prints deployments.apps: keep the resource name
                    self.kinds = [x.strip().split(".")[0] for x in f if x.strip()]
            except OSError:
                self.kinds = sorted(by_res)
            self.mtime = m
            return self


def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def fmt_time(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def group_resources(snap, group):
    """The resources of GROUPS[group] kubesim advertises (with their subresources)."""
    names = set(snap.kinds)
    return [r for r in GROUP_BY_NAME[group][1] if r["name"].split("/")[0] in names]


def group_doc(group, version):
    gv = {"groupVersion": group + "/" + version, "version": version}
    return {"name": group, "versions": [gv], "preferredVersion": gv}


# ---- selectors -------------------------------------------------------------------------------

def split_top(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur)
    return [x.strip() for x in out if x.strip()]


def label_matcher(sel):
    reqs = []
    for part in split_top(sel or ""):
        m = re.match(r"^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$", part)
        if m:
            vals = {v.strip() for v in m.group(3).split(",")}
            reqs.append((m.group(1), m.group(2), vals))
        elif part.startswith("!"):
            reqs.append((part[1:].strip(), "!", None))
        elif "!=" in part:
            k, v = part.split("!=", 1)
            reqs.append((k.strip(), "!=", v.strip()))
        elif "==" in part:
            k, v = part.split("==", 1)
            reqs.append((k.strip(), "=", v.strip()))
        elif "=" in part:
            k, v = part.split("=", 1)
            reqs.append((k.strip(), "=", v.strip()))
        else:
            reqs.append((part, "exists", None))

    def match(o):
        labels = (o.get("metadata") or {}).get("labels") or {}
        for k, op, v in reqs:
            has = k in labels
            if op == "=" and labels.get(k) != v:
                return False
            if op == "!=" and has and labels[k] == v:
                return False
            if op == "in" and (not has or labels[k] not in v):
                return False
            if op == "notin" and has and labels[k] in v:
                return False
            if op == "exists" and not has:
                return False
            if op == "!" and has:
                return False
        return True
    return match


def field_value(o, path):
    if path == "status.podIPs":
        ips = ((o.get("status") or {}).get("podIPs") or [])
        return ips[0].get("ip", "") if ips else ""
    if path == "source":
        return ((o.get("source") or {}).get("component")) or ""
    cur = o
    for p in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(p)
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


class BadRequest(Exception):
    pass


def field_matcher(resource, sel):
    reqs = []
    for part in [p for p in (sel or "").split(",") if p]:
        if "!=" in part:
            k, v = part.split("!=", 1)
            op = "!="
        elif "==" in part:
            k, v = part.split("==", 1)
            op = "="
        elif "=" in part:
            k, v = part.split("=", 1)
            op = "="
        else:
            raise BadRequest(f"invalid selector: '{sel}'; can't understand '{part}'")
        allowed = {"metadata.name", "metadata.namespace"} | FIELD_LABELS.get(resource, set())
        if k not in allowed:
            raise BadRequest(f"field label not supported: {k}")
        reqs.append((k, op, v))

    def match(o):
        for k, op, v in reqs:
            got = field_value(o, k)
            if (op == "=") != (got == v):
                return False
        return True
    return match


# ---- synthesized objects ---------------------------------------------------------------------

def node_leases(snap):
    out = []
    if snap.now is None:
        return out
    now = int(snap.now.timestamp())
    for n in snap.by_res.get("nodes", []):
        name = n["metadata"]["name"]
        # renewed every 10 s since the kubelet registered the node (its creationTimestamp)
        created = n["metadata"].get("creationTimestamp")
        start = int(parse_time(created).timestamp()) if created else now
        renew = datetime.datetime.fromtimestamp(start + max(0, now - start) // 10 * 10 if now >= start else start, datetime.timezone.utc)
        out.append({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                    "metadata": {"name": name, "namespace": "kube-node-lease",
                                 "creationTimestamp": n["metadata"].get("creationTimestamp"),
                                 "resourceVersion": "1", "uid": "lease-" + (n["metadata"].get("uid") or name),
                                 "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name, "uid": n["metadata"].get("uid", "")}]},
                    "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": fmt_time(renew).replace("Z", ".000000Z")}})
    return out


def pod_ready(p):
    for c in (p.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def resolve_port(pod, target):
    if isinstance(target, int):
        return target
    if isinstance(target, str) and target.isdigit():
        return int(target)
    for c in (pod.get("spec") or {}).get("containers") or []:
        for p in c.get("ports") or []:
            if p.get("name") == target:
                return p.get("containerPort")
    return None


def endpoint_slices(snap, ns):
    """What the EndpointSlice controller keeps for each Service with a selector (one IPv4 slice per
    distinct port set; a placeholder slice without endpoints when no pod matches), plus the apiserver's
    own slice for default/kubernetes."""
    out = []
    nodes = snap.by_res.get("nodes", [])
    for svc in snap.by_res.get("services", []):
        md = svc["metadata"]
        if ns is not None and md.get("namespace") != ns:
            continue
        spec = svc.get("spec") or {}
        base = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
                "metadata": {"namespace": md["namespace"], "creationTimestamp": md.get("creationTimestamp"),
                             "labels": {"kubernetes.io/service-name": md["name"],
                                        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"},
                             "resourceVersion": "1"}}
        if md["name"] == "kubernetes" and md.get("namespace") == "default" and not spec.get("selector"):
            addr = None
            for n in nodes:
                for a in (n.get("status") or {}).get("addresses") or []:
                    if a.get("type") == "InternalIP":
                        addr = addr or a.get("address")
            if addr:
                s = json.loads(json.dumps(base))
                s["metadata"]["name"] = "kubernetes"
                s["metadata"]["labels"] = {"kubernetes.io/service-name": "kubernetes", "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io"}
                tp = (spec.get("ports") or [{}])[0]
                s["endpoints"] = [{"addresses": [addr], "conditions": {"ready": True}}]
                s["ports"] = [{"name": tp.get("name", "https"), "port": resolve_port({}, tp.get("targetPort", tp.get("port"))), "protocol": tp.get("protocol", "TCP")}]
                out.append(s)
            continue
        sel = spec.get("selector")
        if not sel:
            continue
        groups = {}
        for p in snap.by_res.get("pods", []):
            pm = p["metadata"]
            if pm.get("namespace") != md.get("namespace"):
                continue
            labels = pm.get("labels") or {}
            if any(labels.get(k) != v for k, v in sel.items()):
                continue
            st = p.get("status") or {}
            if not st.get("podIP") or st.get("phase") in ("Succeeded", "Failed") or pm.get("deletionTimestamp"):
                continue
            ports = []
            for sp in spec.get("ports") or []:
                n = resolve_port(p, sp.get("targetPort", sp.get("port")))
                if n is None:
                    continue
                ports.append((sp.get("name", ""), n, sp.get("protocol", "TCP")))
            key = tuple(ports)
            ready = pod_ready(p)
            ep = {"addresses": [st["podIP"]],
                  "conditions": {"ready": ready, "serving": ready, "terminating": False},
                  "targetRef": {"kind": "Pod", "namespace": pm["namespace"], "name": pm["name"], "uid": pm.get("uid", "")}}
            if (p.get("spec") or {}).get("nodeName"):
                ep["nodeName"] = p["spec"]["nodeName"]
            groups.setdefault(key, []).append(ep)
        if not groups:
            groups = {None: []}
        for i, (key, eps) in enumerate(sorted(groups.items(), key=lambda kv: str(kv[0]))):
            s = json.loads(json.dumps(base))
            s["metadata"]["name"] = f"{md['name']}-{'abcde'[i % 5]}{i:04d}"
            s["endpoints"] = eps
            if key is not None:
                s["ports"] = [{"name": n, "port": port, "protocol": proto} for n, port, proto in key]
            else:
                s["ports"] = None
            out.append(s)
    return out


# ---- HTTP ------------------------------------------------------------------------------------

LOG_LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    snap = None
    logf = None

    def log_message(self, fmt, *args):
        pass

    def log_request(self, code="-", size="-"):
        # "<epoch ns> <status> <path>" once the answer is sent: run.sh reads when real kubectl
        # fetched its objects, i.e. a lower bound of when it read the clock to print ages
        if self.logf:
            with LOG_LOCK:
                self.logf.write("%d %s %s\n" % (time.time_ns(), code, self.path))
                self.logf.flush()

    def send_json(self, code, obj):
        body = json.dumps(obj, separators=(",", ":")).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def status(self, code, reason, message, details=None):
        st = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
              "reason": reason}
        if details is not None:
            st["details"] = details
        st["code"] = code
        self.send_json(code, st)

    def not_found(self, resource, name, group=""):
        qual = f"{resource}.{group}" if group else resource
        det = {"name": name, "kind": resource}
        if group:
            det = {"name": name, "group": group, "kind": resource}
        self.status(404, "NotFound", f'{qual} "{name}" not found', det)

    def page_not_found(self):
        body = b"404 page not found\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        try:
            self.route()
        except BadRequest as e:
            self.status(400, "BadRequest", str(e))

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        parts = [urllib.parse.unquote(p) for p in u.path.strip("/").split("/") if p]
        snap = self.snap.load()
        if parts == ["version"]:
            return self.send_json(200, VERSION)
        if parts == ["api"]:
            return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "192.168.49.2:8443"}]})
        if parts == ["apis"]:
            return self.send_json(200, {"kind": "APIGroupList", "apiVersion": "v1",
                                        "groups": [group_doc(g, v) for g, v, _ in GROUPS if group_resources(snap, g)]})
        if len(parts) == 2 and parts[0] == "apis" and parts[1] in GROUP_BY_NAME and group_resources(snap, parts[1]):
            return self.send_json(200, dict({"kind": "APIGroup", "apiVersion": "v1"}, **group_doc(parts[1], GROUP_BY_NAME[parts[1]][0])))
        if len(parts) == 3 and parts[0] == "apis" and parts[1] in GROUP_BY_NAME and parts[2] == GROUP_BY_NAME[parts[1]][0]:
            res = group_resources(snap, parts[1])
            if res:
                return self.send_json(200, {"kind": "APIResourceList", "apiVersion": "v1",
                                            "groupVersion": parts[1] + "/" + parts[2], "resources": res})
        if parts == ["api", "v1"]:
            names = set(snap.kinds)
            res = [r for r in V1_RESOURCES if r["name"].split("/")[0] in names]
            return self.send_json(200, {"kind": "APIResourceList", "groupVersion": "v1", "resources": res})
        if len(parts) >= 2 and parts[:2] == ["api", "v1"]:
            return self.core(snap, parts[2:], q)
        if len(parts) >= 3 and parts[0] == "apis" and parts[1] == "coordination.k8s.io" and parts[2] == "v1":
            return self.serve(q, "leases", parts[3:], node_leases(snap), "LeaseList", group="coordination.k8s.io",
                              api_version="coordination.k8s.io/v1")
        if len(parts) >= 3 and parts[0] == "apis" and parts[1] == "discovery.k8s.io" and parts[2] == "v1" \
                and "endpointslices" not in snap.kinds:
            # an older kubesim without EndpointSlices: what the EndpointSlice controller would keep
            rest = parts[3:]
            ns = rest[1] if len(rest) >= 2 and rest[0] == "namespaces" else None
            return self.serve(q, "endpointslices", rest, endpoint_slices(snap, ns), "EndpointSliceList",
                              group="discovery.k8s.io", api_version="discovery.k8s.io/v1")
        if len(parts) >= 4 and parts[0] == "apis" and parts[1] in GROUP_BY_NAME and parts[2] == GROUP_BY_NAME[parts[1]][0]:
            rest = parts[3:]
            res = rest[2] if len(rest) >= 3 and rest[0] == "namespaces" else rest[0]
            info = next((r for r in group_resources(snap, parts[1]) if r["name"] == res), None)
            if info is None:
                return self.page_not_found()
            return self.serve(q, res, rest, snap.by_res.get(res, []), info["kind"] + "List", group=parts[1],
                              api_version=parts[1] + "/" + parts[2], cluster=not info["namespaced"])
        return self.page_not_found()

    def core(self, snap, rest, q):
        # namespaces are special: /namespaces/{name} is the object, /namespaces/{ns}/{res}... is inside it
        if rest and rest[0] == "namespaces" and len(rest) <= 2:
            return self.serve(q, "namespaces", rest, snap.by_res.get("namespaces", []), "NamespaceList", cluster=True)
        res = rest[2] if len(rest) >= 3 and rest[0] == "namespaces" else (rest[0] if rest else None)
        if res in ("resourcequotas", "limitranges", "endpoints") and res not in snap.kinds:
            objs = []
        elif res in snap.kinds and res in V1_BY_NAME:
            objs = snap.by_res.get(res, [])
        else:
            return self.page_not_found()
        cluster = not V1_BY_NAME[res]["namespaced"]
        kind = V1_BY_NAME[res]["kind"]
        return self.serve(q, res, rest, objs, kind + "List", cluster=cluster)

    def serve(self, q, res, rest, objs, list_kind, group="", api_version="v1", cluster=False):
        """A list (items without apiVersion/kind, as the real server sends typed lists) or one object."""
        ns = None
        if not cluster and len(rest) >= 2 and rest[0] == "namespaces":
            ns, rest = rest[1], rest[2:]
        # rest is now [res] or [res, name] (or [res, name, sub]) ; for namespaces: [namespaces] / [namespaces, name]
        if not rest or rest[0] != res:
            return self.page_not_found()
        if len(rest) == 1:
            lm = label_matcher((q.get("labelSelector") or [""])[0])
            fm = field_matcher(res, (q.get("fieldSelector") or [""])[0])
            items = [o for o in objs if (ns is None or (o.get("metadata") or {}).get("namespace") == ns) and lm(o) and fm(o)]
            items.sort(key=lambda o: ((o["metadata"].get("namespace") or ""), o["metadata"]["name"]))
            rv = max([int(o["metadata"].get("resourceVersion") or 0) for o in objs if str(o["metadata"].get("resourceVersion", "")).isdigit()] or [1])
            stripped = [{k: v for k, v in o.items() if k not in ("apiVersion", "kind")} for o in items]
            return self.send_json(200, {"kind": list_kind, "apiVersion": api_version,
                                        "metadata": {"resourceVersion": str(rv)}, "items": stripped})
        if len(rest) == 2:
            name = rest[1]
            for o in objs:
                md = o.get("metadata") or {}
                if md.get("name") == name and (ns is None or md.get("namespace") == ns):
                    return self.send_json(200, o)
            return self.not_found(res, name, group)
        return self.page_not_found()

    def do_POST(self):
        self.status(405, "MethodNotAllowed", "this fake API server is read-only")

    do_PUT = do_PATCH = do_DELETE = do_POST


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # kubectl closing a keep-alive connection mid-read is not an error worth a traceback
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    a = ap.parse_args()
    Handler.snap = Snapshot(a.dir)
    if a.log:
        Handler.logf = open(a.log, "a")
    srv = QuietServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.replace(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
