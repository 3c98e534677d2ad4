import { metricsContract } from './metrics-contract';

describe('metricsContract', () => {
  it('should work', () => {
    expect(metricsContract()).toEqual('metrics-contract');
  });
});
