// kubectl 1.32's command tree as data: every command and subcommand with its group, usage line and
// aliases (kubectl's), and kubesim's own descriptions and examples. Help, completion and the
// "not supported" answer all read it; the flags come from each verb's own parseFlags declaration.

export interface CommandDoc {
  /** command path after `kubectl`: `get`, `rollout status`, `create secret generic` */
  path: string;
  short: string;
  /** paragraphs after the first line; the short line is used when absent */
  long?: string;
  usage: string;
  aliases?: string[];
  /** pairs of comment and command line */
  examples?: [string, string][];
  /**
   * false: a subcommand the verb's module does not handle (kubesim knows it but does not simulate
   * it). A top-level command is simulated exactly when dispatch has a module for it.
   */
  sim?: boolean;
  /** a group command that only dispatches (prints its help without a subcommand) */
  group?: boolean;
}

/** kubectl's top-level groups, in `kubectl --help` order. */
export const GROUPS: [string, string[]][] = [
  ['Basic Commands (Beginner)', ['create', 'expose', 'run', 'set']],
  ['Basic Commands (Intermediate)', ['explain', 'get', 'edit', 'delete']],
  ['Deploy Commands', ['rollout', 'scale', 'autoscale']],
  ['Cluster Management Commands', ['certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint']],
  ['Troubleshooting and Debugging Commands', ['describe', 'logs', 'attach', 'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events']],
  ['Advanced Commands', ['diff', 'apply', 'patch', 'replace', 'wait', 'kustomize']],
  ['Settings Commands', ['label', 'annotate', 'completion']],
  ['Other Commands', ['api-resources', 'api-versions', 'config', 'plugin', 'version']],
];

const DRY = '[--dry-run=server|client|none] [options]';
const X = false;

export const COMMANDS: CommandDoc[] = [
  { path: 'create', short: 'Create objects from files, standard input or the subcommands below', usage: 'kubectl create -f FILENAME [options]',
    long: 'Create the objects described in JSON or YAML files, or read from standard input, or build one with a subcommand.',
    examples: [['Create the pod described in pod.yaml', 'kubectl create -f ./pod.yaml'], ['Create what standard input describes', 'cat pod.json | kubectl create -f -'], ['Open the file in an editor, then create the result', 'kubectl create -f registry.yaml --edit -o json']] },
  { path: 'create clusterrole', short: 'Create a cluster-wide role', usage: `kubectl create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=resourcename] ${DRY}`, sim: X },
  { path: 'create clusterrolebinding', short: 'Bind a cluster role to users, groups or service accounts', usage: `kubectl create clusterrolebinding NAME --clusterrole=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] ${DRY}`, sim: X },
  { path: 'create configmap', short: 'Create a config map from files, directories or literal values', usage: `kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] ${DRY}`, aliases: ['cm'],
    examples: [['A config map from two literal pairs', 'kubectl create configmap app-config --from-literal=mode=prod --from-literal=level=info'], ['A config map whose keys are the files of a directory', 'kubectl create configmap app-files --from-file=path/to/dir']] },
  { path: 'create cronjob', short: 'Create a cron job that runs an image on a schedule', usage: "kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...] [flags] [options]", aliases: ['cj'],
    examples: [['Run busybox every five minutes', 'kubectl create cronjob tick --image=busybox --schedule="*/5 * * * *" -- date']] },
  { path: 'create deployment', short: 'Create a deployment running an image', usage: 'kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]', aliases: ['deploy'],
    examples: [['Three nginx replicas', 'kubectl create deployment web --image=nginx --replicas=3'], ['A deployment whose container runs a command', 'kubectl create deployment clock --image=busybox -- sleep 3600']] },
  { path: 'create ingress', short: 'Create an ingress with routing rules', usage: 'kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]]  [options]', aliases: ['ing'], sim: X },
  { path: 'create job', short: 'Create a job running an image, or from a cron job', usage: 'kubectl create job NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...] [options]',
    examples: [['A job that prints the date once', 'kubectl create job once --image=busybox -- date'], ['Start a cron job\'s job now', 'kubectl create job manual-run --from=cronjob/tick']] },
  { path: 'create namespace', short: 'Create a namespace', usage: `kubectl create namespace NAME ${DRY}`, aliases: ['ns'], examples: [['A namespace called dev', 'kubectl create namespace dev']] },
  { path: 'create poddisruptionbudget', short: 'Create a pod disruption budget', usage: `kubectl create poddisruptionbudget NAME --selector=SELECTOR --min-available=N ${DRY}`, aliases: ['pdb'], sim: X },
  { path: 'create priorityclass', short: 'Create a priority class', usage: `kubectl create priorityclass NAME --value=VALUE --global-default=BOOL ${DRY}`, aliases: ['pc'], sim: X },
  { path: 'create quota', short: 'Create a resource quota', usage: `kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] ${DRY}`, aliases: ['resourcequota'],
    examples: [['At most ten pods and two CPUs of requests', 'kubectl create quota small --hard=pods=10,requests.cpu=2']] },
  { path: 'create role', short: 'Create a namespaced role', usage: `kubectl create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] ${DRY}`, sim: X },
  { path: 'create rolebinding', short: 'Bind a role or cluster role within a namespace', usage: `kubectl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] ${DRY}`, sim: X },
  { path: 'create secret', short: 'Create a secret with one of the subcommands below', usage: 'kubectl create secret (docker-registry | generic | tls) [options]', group: true },
  { path: 'create secret docker-registry', short: 'Create a secret holding registry credentials', usage: `kubectl create secret docker-registry NAME --docker-username=user --docker-password=password --docker-email=email [--docker-server=string] [--from-file=[key=]source] ${DRY}`,
    examples: [['Credentials for a private registry', 'kubectl create secret docker-registry regcred --docker-server=registry.example.com --docker-username=me --docker-password=secret']] },
  { path: 'create secret generic', short: 'Create a secret from files, directories or literal values', usage: `kubectl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] ${DRY}`,
    examples: [['A secret with a user name and a password', 'kubectl create secret generic db --from-literal=user=admin --from-literal=password=s3cret']] },
  { path: 'create secret tls', short: 'Create a TLS secret from a certificate and its key', usage: `kubectl create secret tls NAME --cert=path/to/cert/file --key=path/to/key/file ${DRY}`,
    examples: [['A TLS secret from PEM files', 'kubectl create secret tls site-tls --cert=tls.crt --key=tls.key']] },
  { path: 'create service', short: 'Create a service with one of the subcommands below', usage: 'kubectl create service [flags] [options]', aliases: ['svc'], group: true },
  { path: 'create service clusterip', short: 'Create a ClusterIP service', usage: `kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] ${DRY}`, examples: [['Port 80 forwarded to 8080', 'kubectl create service clusterip web --tcp=80:8080']] },
  { path: 'create service externalname', short: 'Create an ExternalName service', usage: `kubectl create service externalname NAME --external-name external.name ${DRY}`, examples: [['An alias of an outside name', 'kubectl create service externalname db --external-name db.example.com']] },
  { path: 'create service loadbalancer', short: 'Create a LoadBalancer service', usage: `kubectl create service loadbalancer NAME [--tcp=port:targetPort] ${DRY}`, examples: [['A load balancer on port 80', 'kubectl create service loadbalancer web --tcp=80:8080']] },
  { path: 'create service nodeport', short: 'Create a NodePort service', usage: `kubectl create service nodeport NAME [--tcp=port:targetPort] ${DRY}`, examples: [['A node port for port 80', 'kubectl create service nodeport web --tcp=80:8080']] },
  { path: 'create serviceaccount', short: 'Create a service account', usage: `kubectl create serviceaccount NAME ${DRY}`, aliases: ['sa'], examples: [['A service account called builder', 'kubectl create serviceaccount builder']] },
  { path: 'create token', short: 'Request a token for a service account', usage: 'kubectl create token SERVICE_ACCOUNT_NAME [options]', sim: X },
  { path: 'expose', short: 'Expose a pod, deployment, replica set or service as a new service', usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
    long: "Create a service for an existing object: the service selects the object's pods by its selector (or a pod's labels) and forwards the given port.",
    examples: [['A service for deployment web on port 80, forwarding to 8080', 'kubectl expose deployment web --port=80 --target-port=8080'], ['A node port service for a pod', 'kubectl expose pod web-0 --port=80 --type=NodePort']] },
  { path: 'run', short: 'Start a pod running an image', usage: 'kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] [--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]',
    examples: [['An nginx pod', 'kubectl run web --image=nginx'], ['A throw-away shell, removed on exit', 'kubectl run -it --rm tmp --image=busybox --restart=Never -- sh'], ['A pod whose container runs a command', 'kubectl run clock --image=busybox --command -- sleep 3600']] },
  { path: 'set', short: 'Change a particular part of existing objects', usage: 'kubectl set SUBCOMMAND [options]', group: true, long: 'Change images, environment, resources, selectors or service accounts of existing objects.' },
  { path: 'set env', short: 'Change the environment variables of a pod template', usage: 'kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]',
    examples: [['Set MODE in every container of deployment web', 'kubectl set env deployment/web MODE=prod'], ['List the variables of a pod', 'kubectl set env pod/web-0 --list'], ['Remove MODE', 'kubectl set env deployment/web MODE-']] },
  { path: 'set image', short: 'Change the image of containers', usage: 'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]',
    examples: [['Move container nginx of deployment web to nginx:1.27', 'kubectl set image deployment/web nginx=nginx:1.27'], ['Every container of every deployment', 'kubectl set image deployments --all *=nginx:1.27']] },
  { path: 'set resources', short: 'Change the requests and limits of containers', usage: 'kubectl set resources (-f FILENAME | TYPE NAME)  ([--limits=LIMITS & --requests=REQUESTS] [options]',
    examples: [['Limit the containers of deployment web', 'kubectl set resources deployment web --limits=cpu=500m,memory=256Mi']] },
  { path: 'set selector', short: 'Replace the selector of an object', usage: 'kubectl set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version] [options]',
    examples: [['Select the pods labelled app=web', 'kubectl set selector service web app=web']] },
  { path: 'set serviceaccount', short: 'Change the service account of a pod template', usage: 'kubectl set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]', aliases: ['sa'],
    examples: [['Run the pods of deployment web as builder', 'kubectl set serviceaccount deployment web builder']] },
  { path: 'set subject', short: 'Change the subjects of a role binding', usage: `kubectl set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] ${DRY}`, sim: X },
  { path: 'explain', short: 'Show the documentation of a kind and its fields', usage: 'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]',
    examples: [['What a pod is', 'kubectl explain pods'], ['One field of a deployment', 'kubectl explain deployment.spec.strategy'], ['All fields of a pod spec', 'kubectl explain pod.spec --recursive']] },
  { path: 'get', short: 'List objects, or show one', usage: 'kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
    long: 'Print a table of objects of one or more types, or the objects themselves as YAML, JSON, names or a template. Without --all-namespaces, namespaced types are listed in the current namespace only.\n\nUse "kubectl api-resources" for every type the cluster serves.',
    examples: [['Pods of the current namespace', 'kubectl get pods'], ['With their IPs and nodes', 'kubectl get pods -o wide'], ['One deployment as YAML', 'kubectl get deployment web -o yaml'], ['Pods labelled app=web in every namespace', 'kubectl get pods -l app=web -A'], ['Only the phase of a pod', "kubectl get pod web-0 -o jsonpath='{.status.phase}'"], ['Several types at once', 'kubectl get deployments,services']] },
  { path: 'edit', short: 'Change an object in your editor', usage: 'kubectl edit (RESOURCE/NAME | -f FILENAME) [options]',
    long: 'Open an object in the editor named by KUBE_EDITOR or EDITOR (vi by default); what you save is written back. A change the cluster refuses reopens the file with the reason.',
    examples: [['Edit service web', 'kubectl edit svc/web'], ['Edit as JSON with nano', 'KUBE_EDITOR="nano" kubectl edit deployment/web -o json']] },
  { path: 'delete', short: 'Delete objects by name, label selector, file or type', usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]',
    long: 'Delete objects. By default the command waits until they are gone; dependents are removed by the garbage collector as --cascade says.',
    examples: [['The pod named web-0', 'kubectl delete pod web-0'], ['Pods and services labelled app=web', 'kubectl delete pods,services -l app=web'], ['What a file describes', 'kubectl delete -f ./pod.yaml'], ['Without waiting for the grace period', 'kubectl delete pod web-0 --now']] },
  { path: 'rollout', short: 'Manage the rollout of deployments, daemon sets and stateful sets', usage: 'kubectl rollout SUBCOMMAND [options]', group: true,
    long: 'Follow, pause, resume, restart or undo the rollout of deployments, daemon sets and stateful sets.',
    examples: [['Wait for deployment web to finish rolling out', 'kubectl rollout status deployment/web'], ['Back to the previous revision', 'kubectl rollout undo deployment/web']] },
  { path: 'rollout history', short: 'Show the revisions of a rollout', usage: 'kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]', examples: [['Revisions of deployment web', 'kubectl rollout history deployment/web'], ['Details of revision 2', 'kubectl rollout history deployment/web --revision=2']] },
  { path: 'rollout pause', short: 'Pause the rollout of a deployment', usage: 'kubectl rollout pause RESOURCE [options]', examples: [['Hold changes of deployment web', 'kubectl rollout pause deployment/web']] },
  { path: 'rollout restart', short: 'Restart the pods of a workload', usage: 'kubectl rollout restart RESOURCE [options]', examples: [['Roll every pod of deployment web', 'kubectl rollout restart deployment/web']] },
  { path: 'rollout resume', short: 'Resume a paused deployment', usage: 'kubectl rollout resume RESOURCE [options]', examples: [['Let deployment web roll out again', 'kubectl rollout resume deployment/web']] },
  { path: 'rollout status', short: 'Watch a rollout until it completes', usage: 'kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]', examples: [['Follow deployment web', 'kubectl rollout status deployment/web']] },
  { path: 'rollout undo', short: 'Go back to an earlier revision', usage: 'kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]', examples: [['The previous revision', 'kubectl rollout undo deployment/web'], ['Revision 3', 'kubectl rollout undo deployment/web --to-revision=3']] },
  { path: 'scale', short: 'Change the replica count of a deployment, replica set or stateful set', usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
    examples: [['Five replicas of deployment web', 'kubectl scale deployment/web --replicas=5'], ['Only if it has two now', 'kubectl scale --current-replicas=2 --replicas=3 deployment/web']] },
  { path: 'autoscale', short: 'Create a horizontal pod autoscaler for a workload', usage: 'kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [options]', sim: X },
  { path: 'certificate', short: 'Approve or deny certificate signing requests', usage: 'kubectl certificate SUBCOMMAND [options]', group: true, sim: X },
  { path: 'certificate approve', short: 'Approve a certificate signing request', usage: 'kubectl certificate approve (-f FILENAME | NAME) [options]', sim: X },
  { path: 'certificate deny', short: 'Deny a certificate signing request', usage: 'kubectl certificate deny (-f FILENAME | NAME) [options]', sim: X },
  { path: 'cluster-info', short: 'Show the addresses of the control plane and cluster services', usage: 'kubectl cluster-info [flags] [options]',
    examples: [['Where the control plane and DNS answer', 'kubectl cluster-info']] },
  { path: 'cluster-info dump', short: 'Dump the cluster state for debugging', usage: 'kubectl cluster-info dump [flags] [options]', sim: X },
  { path: 'top', short: 'Show CPU and memory use of nodes or pods', usage: 'kubectl top [flags] [options]', group: true, sim: X },
  { path: 'top node', short: 'Show CPU and memory use of nodes', usage: 'kubectl top node [NAME | -l label] [options]', aliases: ['nodes', 'no'] },
  { path: 'top pod', short: 'Show CPU and memory use of pods', usage: 'kubectl top pod [NAME | -l label] [options]', aliases: ['pods', 'po'] },
  { path: 'cordon', short: 'Stop scheduling new pods on a node', usage: 'kubectl cordon NODE [options]', examples: [['No new pods on node minikube', 'kubectl cordon minikube']] },
  { path: 'uncordon', short: 'Allow scheduling on a node again', usage: 'kubectl uncordon NODE [options]', examples: [['Schedule on node minikube again', 'kubectl uncordon minikube']] },
  { path: 'drain', short: 'Evict the pods of a node before maintenance', usage: 'kubectl drain NODE [options]',
    long: 'Cordon a node, then evict its pods (except mirror pods, and daemon set pods with --ignore-daemonsets), respecting disruption budgets.',
    examples: [['Empty node kind-worker', 'kubectl drain kind-worker --ignore-daemonsets'], ['Even pods with emptyDir data', 'kubectl drain kind-worker --ignore-daemonsets --delete-emptydir-data']] },
  { path: 'taint', short: 'Add, change or remove taints of nodes', usage: 'kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]',
    examples: [['Keep pods without a toleration off node kind-worker', 'kubectl taint nodes kind-worker dedicated=db:NoSchedule'], ['Remove that taint', 'kubectl taint nodes kind-worker dedicated=db:NoSchedule-']] },
  { path: 'describe', short: 'Show the details and events of objects', usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
    long: 'Print a readable report of one or more objects, with related objects and recent events. A name is matched as a prefix when no object has it exactly.',
    examples: [['Node minikube', 'kubectl describe nodes minikube'], ['Pods whose names start with web', 'kubectl describe pods web'], ['Pods labelled app=web', 'kubectl describe pods -l app=web']] },
  { path: 'logs', short: 'Print the logs of a container', usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]',
    examples: [['The logs of pod web-0', 'kubectl logs web-0'], ['Follow them', 'kubectl logs -f web-0'], ['The previous run of container app', 'kubectl logs web-0 -c app --previous'], ['The last 20 lines of a deployment\'s pod', 'kubectl logs deployment/web --tail=20']] },
  { path: 'attach', short: 'Attach to the process of a running container', usage: 'kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]', examples: [['Read the output of pod web-0', 'kubectl attach web-0'], ['Type into it', 'kubectl attach web-0 -c app -i -t']] },
  { path: 'exec', short: 'Run a command in a container', usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
    examples: [['List / in pod web-0', 'kubectl exec web-0 -- ls /'], ['A shell in container app', 'kubectl exec -it web-0 -c app -- sh'], ['In a pod of deployment web', 'kubectl exec deploy/web -- env']] },
  { path: 'port-forward', short: 'Forward local ports to a pod', usage: 'kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
    examples: [['Local 8080 to port 80 of pod web-0', 'kubectl port-forward pod/web-0 8080:80'], ['To a pod behind service web', 'kubectl port-forward svc/web 8080:80']] },
  { path: 'proxy', short: 'Serve the API server on a local port', usage: 'kubectl proxy [--port=PORT] [--www=static-dir] [--www-prefix=prefix] [--api-prefix=prefix] [options]',
    long: 'Run a proxy to the cluster\'s API on a local port (kubesim: to the simulated API server). Requests are filtered: by default only localhost may connect, and exec and attach are refused. --www serves a directory of static files under --www-prefix.',
    examples: [['The API on port 8001', 'kubectl proxy'], ['Then, from another terminal', 'curl http://127.0.0.1:8001/api/v1/namespaces/default/pods'], ['Another port, the API under /k8s-api/', 'kubectl proxy --port=8011 --api-prefix=/k8s-api']] },
  { path: 'cp', short: 'Copy files between containers and the local disk', usage: 'kubectl cp <file-spec-src> <file-spec-dest> [options]',
    examples: [['A local file into pod web-0', 'kubectl cp ./index.html web-0:/usr/share/nginx/html/index.html'], ['A directory out of a container', 'kubectl cp web-0:/etc/nginx ./nginx-conf -c app']] },
  { path: 'auth', short: 'Check what you are allowed to do', usage: 'kubectl auth [flags] [options]', group: true },
  { path: 'auth can-i', short: 'Check whether an action is allowed', usage: 'kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]',
    examples: [['May I create pods?', 'kubectl auth can-i create pods'], ['In every namespace?', 'kubectl auth can-i list deployments -A']] },
  { path: 'auth reconcile', short: 'Create or update RBAC roles and bindings from files', usage: 'kubectl auth reconcile -f FILENAME [options]', sim: X },
  { path: 'auth whoami', short: 'Show who the cluster thinks you are', usage: 'kubectl auth whoami [options]', examples: [['Your user name and groups', 'kubectl auth whoami']] },
  { path: 'debug', short: 'Start a debugging container or copy of a pod or node', usage: 'kubectl debug (POD | TYPE[[.VERSION].GROUP]/NAME) [ -- COMMAND [args...] ] [options]', examples: [['Add a busybox shell to a running pod', 'kubectl debug -it mypod --image=busybox --target=mypod'], ['Debug a copy of the pod with its images changed', 'kubectl debug mypod --copy-to=mypod-debug --set-image=*=ubuntu'], ['A shell on a node, its filesystem at /host', 'kubectl debug node/mynode -it --image=busybox']] },
  { path: 'events', short: 'List events', usage: 'kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--types=Normal,Warning] [options]', sim: X },
  { path: 'diff', short: 'Show how applying files would change the cluster', usage: 'kubectl diff -f FILENAME [options]',
    long: 'Compare the live objects with what applying the files would make of them, with the program named by KUBECTL_EXTERNAL_DIFF (diff -u -N by default). Exit status 1 means differences were found, above 1 an error.',
    examples: [['What pod.yaml would change', 'kubectl diff -f pod.yaml']] },
  { path: 'apply', short: 'Create or update objects from files', usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]',
    long: 'Make the cluster match files: objects that do not exist are created, existing ones are patched with the differences since the last apply.',
    examples: [['What a file describes', 'kubectl apply -f ./app.yaml'], ['Every manifest of a directory', 'kubectl apply -f ./manifests/'], ['From standard input', 'cat pod.json | kubectl apply -f -']] },
  { path: 'apply edit-last-applied', short: 'Edit the last-applied-configuration annotation', usage: 'kubectl apply edit-last-applied (RESOURCE/NAME | -f FILENAME) [options]', sim: X },
  { path: 'apply set-last-applied', short: 'Set the last-applied-configuration annotation from a file', usage: 'kubectl apply set-last-applied -f FILENAME [options]', sim: X },
  { path: 'apply view-last-applied', short: 'Show the last-applied-configuration annotation', usage: 'kubectl apply view-last-applied (TYPE [NAME | -l label] | TYPE/NAME | -f FILENAME) [options]', sim: X },
  { path: 'patch', short: 'Change fields of an object with a patch', usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]',
    long: 'Apply a strategic merge patch (the default), a JSON merge patch or a JSON patch, written in JSON or YAML, to an object.',
    examples: [['Mark node minikube unschedulable', 'kubectl patch node minikube -p \'{"spec":{"unschedulable":true}}\''], ['Replace an image with a JSON patch', 'kubectl patch pod web-0 --type=json -p=\'[{"op": "replace", "path": "/spec/containers/0/image", "value":"nginx:1.27"}]\'']] },
  { path: 'replace', short: 'Replace objects with the contents of files', usage: 'kubectl replace -f FILENAME [options]',
    examples: [['Replace a pod with pod.json', 'kubectl replace -f ./pod.json'], ['Delete and create it again', 'kubectl replace --force -f ./pod.json']] },
  { path: 'wait', short: 'Wait until objects meet a condition', usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]",
    examples: [['Until pod web-0 is Ready', 'kubectl wait --for=condition=Ready pod/web-0'], ['Until it is deleted', 'kubectl wait --for=delete pod/web-0 --timeout=60s'], ['Until a field has a value', "kubectl wait --for=jsonpath='{.status.phase}'=Running pod/web-0"]] },
  { path: 'kustomize', short: 'Build a kustomization directory', usage: 'kubectl kustomize DIR [flags] [options]',
    long: 'Print the objects a kustomization directory makes (its resources, generated ConfigMaps and Secrets, and its transformations), as YAML documents.',
    examples: [['The current directory', 'kubectl kustomize'], ['An overlay', 'kubectl kustomize ./overlays/dev']] },
  { path: 'label', short: 'Add, change or remove labels of objects', usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
    examples: [['Label pod web-0 tier=front', 'kubectl label pods web-0 tier=front'], ['Change an existing label', 'kubectl label --overwrite pods web-0 tier=back'], ['Remove it', 'kubectl label pods web-0 tier-']] },
  { path: 'annotate', short: 'Add, change or remove annotations of objects', usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
    examples: [['Annotate pod web-0', "kubectl annotate pods web-0 description='front end'"], ['Remove the annotation', 'kubectl annotate pods web-0 description-']] },
  { path: 'completion', short: 'Print the shell completion script for bash, zsh, fish or powershell', usage: 'kubectl completion SHELL [options]',
    long: 'Print a script that makes the shell complete kubectl commands, flags, types and object names. Load it in the current shell, or from the shell\'s start-up file.',
    examples: [['In the current bash', 'source <(kubectl completion bash)'], ['For every new bash, with k as a short name', "echo 'source <(kubectl completion bash)' >> ~/.bashrc\n  echo 'alias k=kubectl; complete -o default -F __start_kubectl k' >> ~/.bashrc"], ['zsh', 'source <(kubectl completion zsh)']] },
  { path: 'api-resources', short: 'List the resource types the cluster serves', usage: 'kubectl api-resources [flags] [options]',
    examples: [['All types', 'kubectl api-resources'], ['Namespaced types, names only', 'kubectl api-resources --namespaced=true -o name'], ['Types of the apps group', 'kubectl api-resources --api-group=apps']] },
  { path: 'api-versions', short: 'List the API versions the cluster serves, as "group/version"', usage: 'kubectl api-versions [options]', examples: [['All versions', 'kubectl api-versions']] },
  { path: 'config', short: 'Read and change kubeconfig files', usage: 'kubectl config SUBCOMMAND [options]', group: true,
    long: 'Read and change kubeconfig files. --kubeconfig names one file; otherwise KUBECONFIG, or kubesim\'s own kubeconfig in $KUBESIM_HOME.' },
  { path: 'config current-context', short: 'Print the current context', usage: 'kubectl config current-context [flags] [options]', examples: [['The context in use', 'kubectl config current-context']] },
  { path: 'config delete-cluster', short: 'Remove a cluster from the kubeconfig', usage: 'kubectl config delete-cluster NAME [options]' },
  { path: 'config delete-context', short: 'Remove a context from the kubeconfig', usage: 'kubectl config delete-context NAME [options]' },
  { path: 'config delete-user', short: 'Remove a user from the kubeconfig', usage: 'kubectl config delete-user NAME [options]' },
  { path: 'config get-clusters', short: 'List the clusters of the kubeconfig', usage: 'kubectl config get-clusters [flags] [options]' },
  { path: 'config get-contexts', short: 'List the contexts of the kubeconfig', usage: 'kubectl config get-contexts [(-o|--output=)name)] [options]', examples: [['All contexts', 'kubectl config get-contexts']] },
  { path: 'config get-users', short: 'List the users of the kubeconfig', usage: 'kubectl config get-users [flags] [options]' },
  { path: 'config rename-context', short: 'Rename a context', usage: 'kubectl config rename-context CONTEXT_NAME NEW_NAME [options]' },
  { path: 'config set', short: 'Set one value of the kubeconfig by its property path', usage: 'kubectl config set PROPERTY_NAME PROPERTY_VALUE [options]' },
  { path: 'config set-cluster', short: 'Add or change a cluster in the kubeconfig', usage: 'kubectl config set-cluster NAME [--server=server] [--certificate-authority=path/to/certificate/authority] [--insecure-skip-tls-verify=true] [--tls-server-name=example.com] [options]' },
  { path: 'config set-context', short: 'Add or change a context in the kubeconfig', usage: 'kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] [--namespace=namespace] [options]',
    examples: [['Make dev the default namespace of the current context', 'kubectl config set-context --current --namespace=dev']] },
  { path: 'config set-credentials', short: 'Add or change a user in the kubeconfig', usage: 'kubectl config set-credentials NAME [--client-certificate=path/to/certfile] [--client-key=path/to/keyfile] [--token=bearer_token] [--username=basic_user] [--password=basic_password] [--auth-provider=provider_name] [--auth-provider-arg=key=value] [--exec-command=exec_command] [--exec-api-version=exec_api_version] [--exec-arg=arg] [--exec-env=key=value] [options]' },
  { path: 'config unset', short: 'Remove one value of the kubeconfig by its property path', usage: 'kubectl config unset PROPERTY_NAME [options]' },
  { path: 'config use-context', short: 'Switch the current context', usage: 'kubectl config use-context CONTEXT_NAME [options]', aliases: ['use'], examples: [['Use context minikube', 'kubectl config use-context minikube']] },
  { path: 'config view', short: 'Print the kubeconfig', usage: 'kubectl config view [flags] [options]', examples: [['The merged kubeconfig', 'kubectl config view'], ['Only what the current context uses', 'kubectl config view --minify']] },
  { path: 'plugin', short: 'Find and list kubectl plugins', usage: 'kubectl plugin [flags] [options]', group: true, sim: X },
  { path: 'plugin list', short: 'List the plugins found on PATH', usage: 'kubectl plugin list [flags] [options]', sim: X },
  { path: 'version', short: 'Print the client and server versions', usage: 'kubectl version [flags] [options]', examples: [['Both versions', 'kubectl version'], ['As JSON', 'kubectl version -o json']] },
  { path: 'options', short: 'Print the flags every command accepts', usage: 'kubectl options [flags] [options]' },
];

const BY_PATH = new Map(COMMANDS.map((c) => [c.path, c]));

export function commandDoc(path: string): CommandDoc | undefined {
  return BY_PATH.get(path);
}

/** The direct subcommands of a path, sorted by name as cobra lists them. */
export function subcommands(path: string): CommandDoc[] {
  const depth = path === '' ? 1 : path.split(' ').length + 1;
  return COMMANDS.filter((c) => c.path.split(' ').length === depth && (path === '' || c.path.startsWith(`${path} `))).sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The subcommand of `parent` that `word` names, by name or alias. */
export function findSub(parent: string, word: string): CommandDoc | undefined {
  return subcommands(parent).find((c) => c.path.split(' ').pop() === word || c.aliases?.includes(word));
}

/** The longest command path the words name (`['create', 'deploy', 'x']` → create deployment). */
export function resolvePath(words: string[]): { doc: CommandDoc; used: number } | undefined {
  let doc = BY_PATH.get(words[0] ?? '');
  if (!doc) return undefined;
  let used = 1;
  while (used < words.length) {
    const next = findSub(doc.path, words[used]);
    if (!next) break;
    doc = next;
    used++;
  }
  return { doc, used };
}

/** kubesim's own commands (not kubectl's): listed by `kubesim --help`. */
export const KUBESIM_COMMANDS: CommandDoc[] = [
  { path: 'clock', short: 'Show, freeze, resume or advance the simulated clock', usage: 'kubesim clock [freeze | resume | advance DURATION] [options]',
    long: 'Without a subcommand, print the simulated time and whether it follows wall time or is frozen. A frozen clock moves only with advance, which runs the simulation forward.',
    examples: [['Stop the clock', 'kubesim clock freeze'], ['Move it 30 seconds', 'kubesim clock advance 30s'], ['Follow wall time again', 'kubesim clock resume']] },
  { path: 'cluster', short: 'Start, list or delete simulated clusters', usage: 'kubesim cluster create [NAME] [--nodes N] [--no-metrics] [--force] | list | delete NAME [options]',
    long: 'create without a name starts the cluster of the context in use afresh: one node is minikube-like, more nodes are kind-like (kind-control-plane and workers). A cluster holding objects is replaced after a confirmation on a terminal, or with --force. --no-metrics leaves out the metrics server (kubectl top has no Metrics API). create NAME keeps another cluster beside the others, with its own store and a context NAME in kubesim\'s kubeconfig, made current; kubectl config use-context switches between them. list shows the clusters, the current one marked; delete NAME removes a named cluster and its context.',
    examples: [['A three-node cluster', 'kubesim cluster create --nodes 3'], ['A second cluster for another lab', 'kubesim cluster create lab2'], ['Back to the first one', 'kubectl config use-context minikube'], ['The clusters', 'kubesim cluster list']] },
  { path: 'reset', short: 'Start again with a fresh cluster', usage: 'kubesim reset [options]', examples: [['Forget every object', 'kubesim reset']] },
  { path: 'repair', short: 'Bring back a cluster state that cannot be read', usage: 'kubesim repair [options]',
    long: 'Restore the state kept before the last write when it is sound, else salvage the objects that can still be read; the damaged file is kept aside.' },
  { path: 'replay', short: 'Replay Markdown transcripts of kubectl sessions and compare the output', usage: 'kubesim replay FILE... [options]' },
  { path: 'serve', short: "Serve the simulated cluster's API over HTTP for the real kubectl and client libraries", usage: 'kubesim serve [--port 6443] [--address 127.0.0.1] [options]',
    long: 'Serve the cluster kept in KUBESIM_HOME as a Kubernetes API (discovery, every kind, watches, pod logs) until interrupted, and add a kubesim context to kubesim\'s kubeconfig. Commands run with the CLI at the same time see the same cluster.',
    examples: [['Serve on the default port', 'kubesim serve'], ['Use it with the real kubectl', 'KUBECONFIG=$KUBESIM_HOME/kubeconfig kubectl --context kubesim get pods']] },
];

const KUBESIM_BY_PATH = new Map(KUBESIM_COMMANDS.map((c) => [c.path, c]));

export function kubesimDoc(path: string): CommandDoc | undefined {
  return KUBESIM_BY_PATH.get(path);
}
