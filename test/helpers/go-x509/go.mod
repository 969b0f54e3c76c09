module authctl.test/gox509

go 1.23
