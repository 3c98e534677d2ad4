/** Where the original agent served its chart, and where the tutorial's traefik Ingress points. */
export const ORIGINAL_CHART_PATH = 'k8s-app-monitor-agent';
