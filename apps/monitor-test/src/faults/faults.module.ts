import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { FaultsService } from './faults.service';

@Module({
  controllers: [AdminController],
  providers: [FaultsService],
  exports: [FaultsService],
})
export class FaultsModule {}
