import PipeCLI
PipeCommand.main()
