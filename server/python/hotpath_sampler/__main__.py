from hotpath_sampler.cli import main

main()
