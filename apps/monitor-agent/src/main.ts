import { runService } from '@k8s-app-monitor/service-kit';
import { monitorAgentService } from './service';

void runService(monitorAgentService);
