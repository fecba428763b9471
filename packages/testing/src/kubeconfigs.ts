/**
 * A user's own kubeconfig, as tests of the stacks' kubeconfig merging start from: another cluster
 * ("prod", current), a comment and a flow mapping, which a merge and its removal must keep.
 */
export const USERS_KUBECONFIG = `# my clusters
apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://prod.example:6443
contexts:
- name: prod
  context: {cluster: prod, user: admin, namespace: payments}
current-context: prod
users:
- name: admin
  user:
    token: a-token
preferences: {}
`;
