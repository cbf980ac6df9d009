from gtmcompass.cli import main

raise SystemExit(main())
