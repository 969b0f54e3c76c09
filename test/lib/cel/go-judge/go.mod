module authctl/celjudge

go 1.23
