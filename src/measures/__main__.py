from measures.launcher import main

main()
