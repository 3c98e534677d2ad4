import { runService } from '@k8s-app-monitor/service-kit';
import { monitorTestService } from './service';

void runService(monitorTestService);
