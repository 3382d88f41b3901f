using BenchmarkDotNet.Running;

// Usage: dotnet run -c Release --project benchmarks/Apportionment.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Apportionment.Benchmarks.DomainAllocationBenchmarks).Assembly).Run(args);
