 	Business Need:

