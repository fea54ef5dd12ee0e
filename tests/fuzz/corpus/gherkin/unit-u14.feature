  
# only a comment
	